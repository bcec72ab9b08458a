import type { HttpContext } from '@adonisjs/core/http'
import type { IconName } from '#core/icons'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/** An entry of a menu: a named route, the words shown, where it sorts. */
export interface NavEntry {
  label: string
  route: string
  order: number
  /** URL prefix that marks the entry as the current page (aria-current). */
  activePrefix: string
}

export interface TileLink {
  label: string
  route: string
}

/** A block of the parents' home page (ACCUEIL), as in the guide. */
export interface Tile {
  title: string
  /** One of the portal's icons (app/core/icons.ts), drawn inline beside the title. */
  icon: IconName
  order: number
  links: TileLink[]
  /** A live line under the title ("Aucune facture à payer"), computed for the family. */
  summary?: (ctx: HttpContext) => Promise<string | null>
}

/**
 * A count on the staff's home (TABLEAU DE BORD): what waits for this agent in the module
 * (« 12 demandes d'inscription à valider »), linked to the page where they deal with it.
 */
export interface StaffCount {
  order: number
  /** The words after the number, by the count: (n) => n > 1 ? 'messages non lus' : 'message non lu'. */
  label: (count: number) => string
  route: string
  query?: Record<string, string>
  count: (ctx: HttpContext) => Promise<number>
}

/** Links a module adds to the public home page ("SIMULATIONS TARIFAIRES", ...). */
export interface PublicBlock {
  title: string
  order: number
  links: TileLink[]
  description?: string
}

/** A part of a page that a module renders itself (the login box on the public home...). */
export interface PageSection {
  order: number
  render: (ctx: HttpContext) => Promise<string>
  /** Public home: at the top of the side column on a wide screen, first of the page on a phone (the login box, as in the guide). */
  lead?: boolean
}

/** A link a card offers, built by the filling module from its own route names. */
export interface SlotLink {
  label: string
  href: string
}

/** What a module shows in a place another module's page offers: a card, in text, maybe with a link. */
export interface SlotCard {
  title: string
  text: string
  link?: SlotLink
}

/** The first administrator that portal:setup asks for. */
export interface AdministratorInput {
  email: string
  fullName: string
  username?: string
}

export interface AdministratorReport {
  username: string
  created: boolean
  state: string
  activationUrl?: string
  expiresAt?: string
}

/**
 * Questions a module asks of the modules that may answer them, without depending on them: the
 * asking module declares each one (name and signature) by augmenting this interface, as events
 * augment EventsList; an answering module puts the function in its manifest's `hooks`.
 */
export interface ModuleHooks {
  /**
   * portal:setup's first administrator, created pending or promoted, inside portal:setup's
   * transaction (`client`) so that a refusal leaves nothing written. Answered by accounts.
   */
  'portal.setup-administrator': (admin: AdministratorInput, client?: TransactionClientContract) => Promise<AdministratorReport>
  /**
   * What would refuse that administrator (a username taken by another account), as a French
   * sentence, or null: portal:setup reports it with the other problems, before writing.
   */
  'portal.check-administrator': (admin: AdministratorInput) => Promise<{ field: 'username' | 'email'; message: string } | null>
}

/**
 * Questions that every enabled module may answer, all answers collected (where a hook takes the
 * first answer only): the family's RGPD export gathers what each module keeps about the family.
 * Declared by the asking module augmenting this interface (name and signature), answered in the
 * manifest's `contributions`, asked with `moduleRegistry.contributions(name)`.
 */
export interface ModuleContributions {}

export interface ModuleManifest {
  name: string
  /** Its name for people, in French. */
  label: string
  description: string
  /** Modules it imports from; they must be enabled whenever it is. */
  dependsOn: string[]
  /** Cannot be switched off (the portal has no login without accounts). */
  required?: boolean
  parentNav?: NavEntry[]
  staffNav?: NavEntry[]
  publicNav?: NavEntry[]
  tiles?: Tile[]
  staffCounts?: StaffCount[]
  publicBlocks?: PublicBlock[]
  /**
   * Sections of the public home page (news, login box...). The page is the same for every
   * visitor and cached up to 5 s (app/core/visitor_page_cache.ts): a section shows nothing
   * personal but the CSRF token and the CSP nonce, and invalidates the cache when it changes.
   */
  publicHomeSections?: PageSection[]
  /** Sections of the parents' home page, under the tiles (children cards...). */
  parentHomeSections?: PageSection[]
  /**
   * Cards it puts in places other modules' pages offer, by the place's name (the owning module
   * documents its places: 'dossier.history.aside'...); null shows nothing.
   */
  slots?: Record<string, (ctx: HttpContext) => Promise<SlotCard | null>>
  /** Its answers to the questions other modules declared in ModuleHooks. */
  hooks?: Partial<ModuleHooks>
  /** Its part of what other modules collect from every module (declared in ModuleContributions). */
  contributions?: Partial<ModuleContributions>
  /** Patterns of its routes that other servers POST to: no session, so no CSRF token. */
  csrfExemptRoutes?: string[]
  /**
   * Other sites one of its forms ends on through a redirect (the CSP's form-action covers
   * redirects): accounts' FranceConnect button and link form. Read at each request.
   */
  formActionOrigins?: () => string[]
  /**
   * Work to start once the HTTP server listens (web server only, never in Ace commands or
   * tests' app): the PayFiP simulator of a developer's machine...
   */
  ready?: () => Promise<void>
}

export function defineModule(manifest: ModuleManifest): ModuleManifest {
  return manifest
}
