/*
 * Ace loader for the commands of every module present in this checkout. Commands are
 * listed whether their module is on or off; a command of a disabled module refuses
 * to run with a sentence (see app/core/module_command.ts).
 */
import { existsSync } from 'node:fs'
import { FsLoader } from '@adonisjs/core/ace'
import type { BaseCommand } from '@adonisjs/core/ace'
import type { CommandMetaData } from '@adonisjs/ace/types'
import { modulePath, presentModules } from '#core/module_catalog'

const loaders = presentModules()
  .map((name) => modulePath(name, 'commands'))
  .filter((path) => existsSync(path))
  .map((path) => new FsLoader<typeof BaseCommand>(path))

const owners = new Map<string, FsLoader<typeof BaseCommand>>()

export async function getMetaData(): Promise<CommandMetaData[]> {
  const all: CommandMetaData[] = []
  for (const loader of loaders) {
    for (const meta of await loader.getMetaData()) {
      owners.set(meta.commandName, loader)
      all.push(meta)
    }
  }
  return all
}

export async function getCommand(meta: CommandMetaData): Promise<typeof BaseCommand | null> {
  const loader = owners.get(meta.commandName)
  return loader ? loader.getCommand(meta) : null
}
