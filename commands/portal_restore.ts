import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Puts a portal:backup archive back into an empty installation (stop the portal first),
 * then checks row counts and files against the archive's manifest.
 */
export default class PortalRestore extends BaseCommand {
  static commandName = 'portal:restore'
  static description = 'Restaure une sauvegarde de portal:backup dans une installation vide (portail arrêté), puis la vérifie'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Archive créée par portal:backup' })
  declare file: string

  @flags.boolean({ description: 'Remplace une base qui contient déjà des familles' })
  declare force?: boolean

  async run() {
    const { resolve } = await import('node:path')
    const { mkdir } = await import('node:fs/promises')
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { default: drive } = await import('@adonisjs/drive/services/main')
    const { restorePortal } = await import('#services/portal_restore')
    const { reportBackupFailure } = await import('#services/backup_database')
    const { plural } = await import('#core/french')
    const { formatDateTime } = await import('#core/format')
    try {
      const workDir = this.app.tmpPath()
      await mkdir(workDir, { recursive: true })
      const archivePath = resolve(this.file)
      const report = await restorePortal({ connectionName: db.primaryConnectionName, disk: drive.use(), archivePath, workDir, force: this.force })
      this.logger.success(
        `Sauvegarde du ${formatDateTime(report.manifest.createdAt)} restaurée et vérifiée : ${plural(report.tables, 'table')} (${plural(report.rows, 'ligne')}), ${plural(report.files, 'fichier')}.`
      )
    } catch (error) {
      this.logger.error(reportBackupFailure(error, 'La restauration'))
      this.exitCode = 1
    }
  }
}
