/*
 * Ace loader for the commands of every module present in this checkout (commands/ of each
 * module, in dependency order). Commands are listed whether their module is on or off; a
 * command of a disabled module refuses to run with a sentence (see app/core/module_command.ts).
 */
import { existsSync } from 'node:fs'
import { FsLoader } from '@adonisjs/core/ace'
import type { BaseCommand } from '@adonisjs/core/ace'
import type { CommandMetaData } from '@adonisjs/ace/types'
import { discoverModules, modulePath } from '#core/module_catalog'

type Loader = FsLoader<typeof BaseCommand>

let loaded: Promise<{ module: string; loader: Loader; commands: CommandMetaData[] }[]> | undefined

/** Each module's loader and its commands' metadata, read once (a loader imports its files). */
function moduleLoaders() {
  loaded ??= discoverModules().then((manifests) =>
    Promise.all(
      manifests
        .filter((manifest) => existsSync(modulePath(manifest.name, 'commands')))
        .map(async (manifest) => {
          const loader: Loader = new FsLoader<typeof BaseCommand>(modulePath(manifest.name, 'commands'))
          return { module: manifest.name, loader, commands: await loader.getMetaData() }
        })
    )
  )
  return loaded
}

export async function getMetaData(): Promise<CommandMetaData[]> {
  return (await moduleLoaders()).flatMap((entry) => entry.commands)
}

export async function getCommand(meta: CommandMetaData): Promise<typeof BaseCommand | null> {
  const owner = (await moduleLoaders()).find((entry) => entry.commands.some((command) => command.commandName === meta.commandName))
  return owner ? owner.loader.getCommand(meta) : null
}

/** The names of a module's Ace commands (portal:modules lists them). */
export async function commandNamesOf(name: string): Promise<string[]> {
  const entry = (await moduleLoaders()).find((candidate) => candidate.module === name)
  return entry ? entry.commands.map((command) => command.commandName) : []
}
