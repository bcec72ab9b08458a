/*
 * The one place that finds the portal's modules: every folder under modules/ holding a
 * manifest (module.ts, module.js in the build), ordered by the manifests' `dependsOn`.
 * Routes, listeners, menus, seeders, commands, migrations and bench scenarios all take
 * their list from here.
 */
import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { ModuleManifest } from '#core/module_manifest'
import { importScript, scriptFile } from '#core/script_file'

/** A refusal to boot with a sentence a commune's administrator can act on. */
export class ModuleConfigurationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ModuleConfigurationError'
  }
}

export const APP_ROOT = new URL('../../', import.meta.url)

export function modulePath(name: string, ...segments: string[]) {
  return fileURLToPath(new URL(['modules', name, ...segments].join('/'), APP_ROOT))
}

/** Folders under modules/ that hold a manifest, by name. */
export function moduleFolders(): string[] {
  const root = fileURLToPath(new URL('modules/', APP_ROOT))
  if (!existsSync(root)) return []
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && scriptFile(modulePath(entry.name, 'module')) !== null)
    .map((entry) => entry.name)
    .sort()
}

function quoted(names: string[]) {
  const parts = names.map((name) => `« ${name} »`)
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} et ${parts.at(-1)}` : parts[0]
}

/** A dependency loop among `pending` (each of them waits for another of them). */
function findCycle(pending: ModuleManifest[]): string[] {
  const byName = new Map(pending.map((manifest) => [manifest.name, manifest]))
  const path: string[] = []
  let current = pending[0]
  while (!path.includes(current.name)) {
    path.push(current.name)
    current = byName.get(current.dependsOn.find((dependency) => byName.has(dependency))!)!
  }
  return path.slice(path.indexOf(current.name))
}

/**
 * Dependency order: each module after every module it depends on; among modules free to
 * come next, the first by name, so that the order never depends on the file system. Refuses
 * a dependency on an absent module and a dependency cycle, in a sentence naming them.
 */
export function orderModules(manifests: ModuleManifest[]): ModuleManifest[] {
  const names = new Set(manifests.map((manifest) => manifest.name))
  for (const manifest of manifests) {
    const missing = manifest.dependsOn.find((dependency) => !names.has(dependency))
    if (missing) {
      throw new ModuleConfigurationError(
        `Le module « ${manifest.name} » dépend du module « ${missing} », qui n'existe pas dans le dossier modules/ : ajoutez ce module ou retirez « ${missing} » du dependsOn de modules/${manifest.name}/module.ts.`
      )
    }
  }
  const ordered: ModuleManifest[] = []
  const placed = new Set<string>()
  let pending = [...manifests].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  while (pending.length) {
    const next = pending.find((manifest) => manifest.dependsOn.every((dependency) => placed.has(dependency)))
    if (!next) {
      const cycle = findCycle(pending)
      throw new ModuleConfigurationError(
        cycle.length === 1
          ? `Le module « ${cycle[0]} » dépend de lui-même : retirez « ${cycle[0]} » du dependsOn de modules/${cycle[0]}/module.ts.`
          : `Les modules ${quoted(cycle)} dépendent les uns des autres en boucle (${[...cycle, cycle[0]].join(' → ')}) : retirez l'une de ces dépendances de leurs fichiers module.ts.`
      )
    }
    ordered.push(next)
    placed.add(next.name)
    pending = pending.filter((manifest) => manifest !== next)
  }
  return ordered
}

async function loadManifest(folder: string): Promise<ModuleManifest> {
  const imported = await importScript<{ default?: ModuleManifest }>(modulePath(folder, 'module'))
  const manifest = imported?.default
  if (!manifest || manifest.name !== folder) {
    throw new ModuleConfigurationError(
      `Le fichier modules/${folder}/module.ts doit exporter par défaut defineModule({ name: '${folder}', ... }) : le nom d'un module est celui de son dossier.`
    )
  }
  return manifest
}

let discovered: Promise<ModuleManifest[]> | undefined

/** Every module present in this checkout, on or off, in dependency order (loaded once). */
export function discoverModules(): Promise<ModuleManifest[]> {
  discovered ??= Promise.all(moduleFolders().map((folder) => loadManifest(folder))).then(orderModules)
  return discovered
}

/** A module's migration files, by name (they run whether the module is on or off). */
export function migrationFiles(name: string): string[] {
  const folder = modulePath(name, 'database', 'migrations')
  if (!existsSync(folder)) return []
  return readdirSync(folder)
    .filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts'))
    .sort()
}

/**
 * Lucid's migration folders: the core's, then every module's, on or off. Lucid runs the
 * folders one after the other, so they are listed by their first file name (a timestamp):
 * the history of an existing database keeps its order, and a module's timestamps come after
 * those of the modules it depends on (tests/unit/module_catalog.spec.ts checks it).
 */
export function migrationPaths(): string[] {
  const modules = moduleFolders()
    .map((name) => ({ name, first: migrationFiles(name)[0] }))
    .filter((module) => module.first !== undefined)
    .sort((a, b) => a.first.localeCompare(b.first, undefined, { numeric: true }))
  return ['./database/migrations', ...modules.map((module) => `./modules/${module.name}/database/migrations`)]
}
