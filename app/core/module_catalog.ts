import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * Every module the portal knows, in dependency order. Migrations, seeders and the
 * menus follow this order whether a module is on or off (see ARCHITECTURE.md).
 */
export const MODULE_ORDER = [
  'accounts',
  'dossier',
  'news',
  'inscriptions',
  'planning',
  'billing',
  'messaging',
] as const

export type ModuleName = (typeof MODULE_ORDER)[number]

export const APP_ROOT = new URL('../../', import.meta.url)

export function modulePath(name: string, ...segments: string[]) {
  return fileURLToPath(new URL(['modules', name, ...segments].join('/'), APP_ROOT))
}

/** Modules whose folder is present in this checkout, in dependency order. */
export function presentModules(): ModuleName[] {
  return MODULE_ORDER.filter((name) => existsSync(modulePath(name, 'module.ts')) || existsSync(modulePath(name, 'module.js')))
}

/** Lucid's migration folders: the core's, then each present module's, on or off. */
export function migrationPaths(): string[] {
  const paths = ['./database/migrations']
  for (const name of presentModules()) {
    if (existsSync(modulePath(name, 'database', 'migrations'))) {
      paths.push(`./modules/${name}/database/migrations`)
    }
  }
  return paths
}
