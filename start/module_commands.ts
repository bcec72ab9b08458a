/*
 * Ace loader for the commands of the modules switched on by PORTAL_MODULES (commands/ of each
 * module, in dependency order): `node ace list` shows no command of a disabled module, and
 * running one says which module is off (app/core/command_failure.ts asks disabledOwnerOf).
 * Benchmark commands (modules/<name>/bench/commands/) load only with PORTAL_BENCH_ROUTES=1;
 * the production build does not ship them (scripts/prune_build.ts).
 */
import { existsSync } from 'node:fs'
import { EnvProcessor } from '@adonisjs/core/env'
import { FsLoader } from '@adonisjs/core/ace'
import type { BaseCommand } from '@adonisjs/core/ace'
import type { CommandMetaData } from '@adonisjs/ace/types'
import { APP_ROOT, discoverModules, modulePath } from '#core/module_catalog'
import { resolveModules } from '#core/module_registry'

type Loader = FsLoader<typeof BaseCommand>
type Entry = { module: string; enabled: boolean; loader: Loader; commands: CommandMetaData[] }

let loaded: Promise<Entry[]> | undefined

/** PORTAL_MODULES as the app will read it (environment, then .env files), before the app boots. */
async function enabledModules(): Promise<string[]> {
  const values = await new EnvProcessor(APP_ROOT).process()
  return (await resolveModules(process.env.PORTAL_MODULES ?? values.PORTAL_MODULES)).enabled
}

/** Each module's loaders and their commands' metadata, read once (a loader imports its files). */
function moduleLoaders() {
  loaded ??= Promise.all([discoverModules(), enabledModules()]).then(([manifests, enabled]) => {
    const folders = manifests.flatMap((manifest) => [
      { module: manifest.name, folder: modulePath(manifest.name, 'commands') },
      ...(process.env.PORTAL_BENCH_ROUTES === '1' ? [{ module: manifest.name, folder: modulePath(manifest.name, 'bench', 'commands') }] : []),
    ])
    return Promise.all(
      folders
        .filter(({ folder }) => existsSync(folder))
        .map(async ({ module, folder }) => {
          const loader: Loader = new FsLoader<typeof BaseCommand>(folder)
          return { module, enabled: enabled.includes(module), loader, commands: await loader.getMetaData() }
        })
    )
  })
  return loaded
}

export async function getMetaData(): Promise<CommandMetaData[]> {
  return (await moduleLoaders()).filter((entry) => entry.enabled).flatMap((entry) => entry.commands)
}

export async function getCommand(meta: CommandMetaData): Promise<typeof BaseCommand | null> {
  const owner = (await moduleLoaders()).find((entry) => entry.enabled && entry.commands.some((command) => command.commandName === meta.commandName))
  return owner ? owner.loader.getCommand(meta) : null
}

/** The names of a module's Ace commands, on or off (portal:modules lists them). */
export async function commandNamesOf(name: string): Promise<string[]> {
  return (await moduleLoaders()).filter((entry) => entry.module === name).flatMap((entry) => entry.commands.map((command) => command.commandName))
}

/** The disabled module a command belongs to, when it is one of theirs. */
export async function disabledOwnerOf(commandName: string): Promise<string | undefined> {
  return (await moduleLoaders()).find((entry) => !entry.enabled && entry.commands.some((command) => command.commandName === commandName))?.module
}
