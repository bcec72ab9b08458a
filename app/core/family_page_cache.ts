import type { HttpContext } from '@adonisjs/core/http'
import communeSettings, { type CommuneSettings } from '#services/commune_settings'
import { signedInUser } from '#core/signed_in_user'
import { cutPage, fillPageBytes, pageBytes, type PageBytes } from '#core/page_copy'

/** What the cached pages of this process may hold, in bytes (a page of a month: 25–50 KB). */
const MAX_BYTES = 4 * 1024 * 1024
/**
 * The pages rendered once that are remembered (their keys only), waiting for a second asking: the
 * most recent ones. In the rush (1,500 parents each opening the month once), remembering each
 * page's shape with its key kept the server's resident memory 10–20 MB higher at rest and at the
 * peak (281–287 against 267–272 MB at rest), more than their few hundred bytes explain; keys alone
 * did not.
 */
const SEEN_KEPT = 2000

interface Kept<Shape> {
  /** What the page was made of that the basis reads again: the caller's (the days and activities shown). */
  shape: Shape
  /** The counts and reads the page was made from, in one text: the same text, the same page. */
  basis: string
  /** Epoch ms at which the page would show otherwise by the clock alone (a deadline, midnight). */
  until: number
  copy: PageBytes
  bytes: number
}

const NO_CACHE = /no-cache|no-store/i

const settingsTexts = new WeakMap<CommuneSettings, string>()

/**
 * A signed-in family's pages, rendered once and sent again while what they were made of reads the
 * same: the counts of #core/page_changes read before the data (every write to what the page shows
 * counts there, whoever makes it) and the reads the caller adds (the places left, which every
 * other family's booking changes), the layout's user and commune, and the clock (`until`). A
 * request's own values — nonce, CSRF token — are put back in each copy (#core/page_copy). A page
 * is kept from its second rendering on: a page asked once (a parent in the rush, before booking)
 * costs nothing more. Only a GET without a flash message in or out, and not a forced reload, gets
 * or leaves a copy.
 */
export class FamilyPageCache<Shape> {
  /** The keys of the pages rendered once (see SEEN_KEPT). */
  #seen = new Set<string>()
  static #all = new Set<FamilyPageCache<unknown>>()

  /** Every such cache of the process forgets its pages (the tests, between two). */
  static invalidateAll() {
    for (const cache of FamilyPageCache.#all) cache.invalidate()
  }

  constructor() {
    FamilyPageCache.#all.add(this)
  }

  #pages = new Map<string, Kept<Shape>>()
  #bytes = 0
  /** Counts the invalidations: a page rendered across one is not kept. */
  #generation = 0

  get generation() {
    return this.#generation
  }

  invalidate() {
    this.#generation++
    this.#pages.clear()
    this.#seen.clear()
    this.#bytes = 0
  }

  /** A GET without a flash message in or out, and not a forced reload (`Cache-Control: no-cache`: rendered anew, not kept). */
  servesAlike(ctx: HttpContext) {
    return (
      ctx.request.method() === 'GET' &&
      !NO_CACHE.test(ctx.request.header('cache-control') ?? '') &&
      ctx.session.flashMessages.isEmpty &&
      ctx.session.responseFlashMessages.isEmpty
    )
  }

  /** The key of this request's page: the user and the address, query included; none without a signed-in user. */
  keyOf(ctx: HttpContext, namespace: string): string | null {
    const user = ctx.auth.user
    return user ? `${namespace}:${user.id}:${ctx.request.url(true)}` : null
  }

  /** What the page kept under `key` was made of: the reads its basis needs. */
  shapeOf(key: string): Shape | undefined {
    return this.#pages.get(key)?.shape
  }

  /** Whether the page under `key` was rendered before (kept or not): rendered again, it is kept. */
  wasRendered(key: string) {
    return this.#pages.has(key) || this.#seen.has(key)
  }

  /** What the layout shows of the request: the user's name and roles, the commune. */
  async layoutBasis(ctx: HttpContext): Promise<string> {
    const user = await signedInUser(ctx)
    const settings = await communeSettings.get()
    let text = settingsTexts.get(settings)
    if (text === undefined) settingsTexts.set(settings, (text = JSON.stringify(settings)))
    return `${user?.id}|${user?.fullName}|${user?.isStaff}|${user?.isReadOnly}|${text}`
  }

  /** The kept page for this request (UTF-8 HTML), when it was made from `basis` and its time has not come. */
  serve(ctx: HttpContext, key: string, basis: string, now = Date.now()): Buffer | null {
    const kept = this.#pages.get(key)
    if (!kept || kept.basis !== basis || now >= kept.until) return null
    // The most recently served last: the first ones are let go when the pages fill MAX_BYTES.
    this.#pages.delete(key)
    this.#pages.set(key, kept)
    return fillPageBytes(kept.copy, ctx.response.nonce ?? '', ctx.request.csrfToken ?? '')
  }

  /**
   * Keeps the page rendered under `key` when its basis was read (before its data: the caller asks
   * `wasRendered` first), else remembers that it was rendered once. `generation`: this cache's,
   * taken before the basis was read.
   */
  keep(ctx: HttpContext, key: string, page: { html: string; shape: Shape; basis: string | null; until: number; generation: number }) {
    if (page.generation !== this.#generation) return
    const before = this.#pages.get(key)
    if (before) this.#forget(key, before)
    const cut = page.basis === null ? null : cutPage(page.html, ctx.response.nonce ?? '', ctx.request.csrfToken ?? '')
    if (!cut) {
      this.#seen.add(key)
      if (this.#seen.size > SEEN_KEPT) this.#seen.delete(this.#seen.values().next().value!)
      return
    }
    this.#seen.delete(key)
    const copy = pageBytes(cut)
    const kept: Kept<Shape> = { shape: page.shape, basis: page.basis!, until: page.until, copy, bytes: copy.bytes }
    this.#pages.set(key, kept)
    this.#bytes += kept.bytes
    for (const [oldKey, old] of this.#pages) {
      if (this.#bytes <= MAX_BYTES) break
      this.#forget(oldKey, old)
    }
  }

  #forget(key: string, kept: Kept<Shape>) {
    this.#pages.delete(key)
    this.#bytes -= kept.bytes
  }
}
