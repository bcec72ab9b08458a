import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { modulePath } from '#core/module_catalog'

export interface RouteSummary {
  methods: string[]
  pattern: string
  name?: string
}

/** Flattens the router's entries (routes, groups, resources, brisk routes) into plain routes. */
export function flattenRoutes(entries: any[]): RouteSummary[] {
  return entries.flatMap((entry): RouteSummary[] => {
    if (Array.isArray(entry.routes)) return flattenRoutes(entry.routes)
    const route = entry.route ?? entry
    if (!route || typeof route.toJSON !== 'function') return []
    const json = route.toJSON()
    return [{ methods: json.methods.filter((m: string) => m !== 'HEAD'), pattern: json.pattern, name: json.name }]
  })
}

function listFiles(folder: string, pattern: RegExp): string[] {
  if (!existsSync(folder)) return []
  return readdirSync(folder)
    .filter((file) => pattern.test(file) && !file.endsWith('.d.ts'))
    .sort()
}

/** Migration files of a module (they run whether the module is on or off). */
export function migrationFiles(name: string): string[] {
  return listFiles(modulePath(name, 'database', 'migrations'), /\.(ts|js)$/)
}

/** Ace command names a module declares, read from its command files without loading them. */
export function commandNames(name: string): string[] {
  const folder = modulePath(name, 'commands')
  return listFiles(folder, /\.(ts|js)$/).flatMap((file) => {
    const match = /static\s+commandName\s*=\s*['"]([^'"]+)['"]/.exec(readFileSync(`${folder}/${file}`, 'utf8'))
    return match ? [match[1]] : []
  })
}
