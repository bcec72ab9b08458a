import { ModuleConfigurationError, discoverModules } from '#core/module_catalog'
import type { RouteSummary } from '#core/module_inventory'
import logger from '@adonisjs/core/services/logger'
import type { HttpContext } from '@adonisjs/core/http'
import type { ModuleContributions, ModuleHooks, ModuleManifest, NavEntry, PageSection, PublicBlock, SlotCard, StaffCount, Tile } from '#core/module_manifest'

export { ModuleConfigurationError }

/** Parses PORTAL_MODULES ("accounts,dossier,news"); empty means every present module. */
export function parseModuleList(raw: string | undefined, present: readonly string[]): string[] {
  const names = (raw ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean)
  if (names.length === 0) return [...present]
  const unknown = names.filter((name) => !present.includes(name))
  if (unknown.length) {
    throw new ModuleConfigurationError(
      `PORTAL_MODULES nomme un module inconnu : « ${unknown.join(', ')} ». Modules disponibles : ${present.join(', ')}.`
    )
  }
  return present.filter((name) => names.includes(name))
}

/**
 * Checks that every enabled module has its dependencies enabled and that required
 * modules are on. Throws a sentence naming both modules.
 */
export function resolveEnabled(manifests: ModuleManifest[], requested: string[]): string[] {
  const byName = new Map(manifests.map((manifest) => [manifest.name, manifest]))
  for (const manifest of manifests) {
    if (manifest.required && !requested.includes(manifest.name)) {
      throw new ModuleConfigurationError(
        `Le module « ${manifest.name} » (${manifest.label}) est obligatoire : ajoutez-le à PORTAL_MODULES.`
      )
    }
  }
  for (const name of requested) {
    const manifest = byName.get(name)!
    for (const dependency of manifest.dependsOn) {
      if (!requested.includes(dependency)) {
        throw new ModuleConfigurationError(
          `Le module « ${name} » dépend du module « ${dependency} », qui est désactivé : activez « ${dependency} » ou retirez « ${name} » de PORTAL_MODULES.`
        )
      }
    }
  }
  return requested
}

/** Every module present, and those that `list` (PORTAL_MODULES) switches on; refuses a bad list. */
export async function resolveModules(list: string | undefined) {
  const manifests = await discoverModules()
  const enabled = resolveEnabled(manifests, parseModuleList(list, manifests.map((manifest) => manifest.name)))
  return { manifests, enabled }
}

function byOrder<T extends { order: number }>(a: T, b: T) {
  return a.order - b.order
}

type OrderedListKey = 'parentNav' | 'staffNav' | 'publicNav' | 'tiles' | 'staffCounts' | 'publicBlocks' | 'publicHomeSections' | 'parentHomeSections'

/**
 * The modules of this process: every manifest present and which of them are on.
 * Filled once at boot by providers/modules_provider.ts; menus, tiles and commands read it.
 */
export class ModuleRegistry {
  #manifests: ModuleManifest[] = []
  #enabled = new Set<string>()
  #routes = new Map<string, RouteSummary[]>()
  #listeners = new Map<string, number>()
  #lists = new Map<OrderedListKey, { order: number }[]>()

  /** `manifests` in dependency order (discoverModules() gives them so). */
  configure(manifests: ModuleManifest[], enabled: string[]) {
    this.#manifests = [...manifests]
    this.#enabled = new Set(enabled)
    this.#lists.clear()
  }

  recordRoutes(name: string, routes: RouteSummary[]) {
    this.#routes.set(name, routes)
  }

  recordListeners(name: string, count: number) {
    this.#listeners.set(name, count)
  }

  listenersOf(name: string): number {
    return this.#listeners.get(name) ?? 0
  }

  routesOf(name: string): RouteSummary[] {
    return this.#routes.get(name) ?? []
  }

  get all(): ModuleManifest[] {
    return this.#manifests
  }

  get enabled(): ModuleManifest[] {
    return this.#manifests.filter((manifest) => this.#enabled.has(manifest.name))
  }

  isEnabled(name: string): boolean {
    return this.#enabled.has(name)
  }

  /** Whether an enabled module declares this route pattern free of the CSRF check. */
  isCsrfExempt(pattern: string | undefined): boolean {
    return pattern !== undefined && this.enabled.some((manifest) => manifest.csrfExemptRoutes?.includes(pattern))
  }

  /** The origins the enabled modules' forms may be redirected to, for the CSP's form-action. */
  formActionOrigins(): string[] {
    return [...new Set(this.enabled.flatMap((manifest) => manifest.formActionOrigins?.() ?? []))]
  }

  get parentNav(): NavEntry[] {
    return this.#collected('parentNav')
  }

  get staffNav(): NavEntry[] {
    return this.#collected('staffNav')
  }

  get publicNav(): NavEntry[] {
    return this.#collected('publicNav')
  }

  get tiles(): Tile[] {
    return this.#collected('tiles')
  }

  get staffCounts(): StaffCount[] {
    return this.#collected('staffCounts')
  }

  get publicBlocks(): PublicBlock[] {
    return this.#collected('publicBlocks')
  }

  get publicHomeSections(): PageSection[] {
    return this.#collected('publicHomeSections')
  }

  get parentHomeSections(): PageSection[] {
    return this.#collected('parentHomeSections')
  }

  /** What the enabled manifests declare under `key`, sorted by order: gathered once per configure(). */
  #collected<K extends OrderedListKey>(key: K): NonNullable<ModuleManifest[K]> {
    let list = this.#lists.get(key)
    if (!list) {
      list = this.enabled.flatMap((manifest) => (manifest[key] ?? []) as { order: number }[]).sort(byOrder)
      this.#lists.set(key, list)
    }
    return list as NonNullable<ModuleManifest[K]>
  }

  /**
   * The cards the enabled modules put in a page's place, in module order. A module that fails
   * to fill it is left out (logged): the page of another module never breaks for it.
   */
  async fillSlot(place: string, ctx: HttpContext): Promise<SlotCard[]> {
    const cards: SlotCard[] = []
    for (const manifest of this.enabled) {
      const fill = manifest.slots?.[place]
      if (!fill) continue
      try {
        const card = await fill(ctx)
        if (card) cards.push(card)
      } catch (error) {
        logger.error({ err: error, module: manifest.name, place }, 'module slot not filled')
      }
    }
    return cards
  }

  /** The answer of the first enabled module (in module order) that answers; undefined when none does. */
  hook<Name extends keyof ModuleHooks>(name: Name): ModuleHooks[Name] | undefined {
    for (const manifest of this.enabled) {
      const answer = manifest.hooks?.[name]
      if (answer) return answer
    }
    return undefined
  }

  /**
   * The answers of every enabled module that contributes to `name`, in module order, each with
   * the module's name and label; empty when none does. A disabled module contributes nothing.
   */
  contributions<Name extends keyof ModuleContributions>(name: Name): { module: string; label: string; answer: NonNullable<ModuleContributions[Name]> }[] {
    return this.enabled.flatMap((manifest) => {
      const answer = manifest.contributions?.[name]
      return answer ? [{ module: manifest.name, label: manifest.label, answer: answer as NonNullable<ModuleContributions[Name]> }] : []
    })
  }
}

const moduleRegistry = new ModuleRegistry()
export default moduleRegistry
