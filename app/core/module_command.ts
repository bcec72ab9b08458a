import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

class ModuleDisabledError extends Error {}

/**
 * Base of every module's Ace command: it boots the app, and refuses with a clear
 * sentence when its module is switched off by PORTAL_MODULES.
 */
export default abstract class ModuleCommand extends BaseCommand {
  static options: CommandOptions = { startApp: true }
  /** The module this command belongs to. */
  static module: string

  async prepare() {
    const { default: moduleRegistry } = await import('#core/module_registry')
    const name = (this.constructor as typeof ModuleCommand).module
    if (!moduleRegistry.isEnabled(name)) {
      throw new ModuleDisabledError(
        `La commande ${this.commandName} appartient au module « ${name} », qui est désactivé (PORTAL_MODULES) : rien n'a été fait.`
      )
    }
  }

  async completed() {
    if (this.error instanceof ModuleDisabledError) {
      this.logger.error(this.error.message)
      this.exitCode = 1
      return true
    }
    return false
  }
}
