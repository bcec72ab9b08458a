import type { HttpContext } from '@adonisjs/core/http'
import communeSettings from '#services/commune_settings'
import { cutPage, fillPage as fill, type PageCopy } from '#core/page_copy'

/** Seconds a cached page may lag behind a change made by another app process. */
const TTL_MS = 5000
interface CachedPage extends PageCopy {
  at: number
  basis: unknown
}

/**
 * Public pages that every visitor sees alike (the public home page: the commune, the latest news,
 * the login box; the login page), rendered once and served again for up to 5 s. A request's own values in them —
 * the CSP nonce and the CSRF token — are cut out of the cached copy and put back for each visitor.
 * Only a visitor who is not signed in and has no flash message gets the shared copy. In-process
 * changes invalidate at once (the news model after a save); other app processes see them within
 * TTL_MS, as they see the commune's settings (app/services/commune_settings.ts).
 */
export class VisitorPageCache {
  #pages = new Map<string, CachedPage>()
  #rendering = new Map<string, { basis: unknown; page: Promise<CachedPage | null> }>()
  /**
   * Counts the invalidations. A rendering begun before one (a visitor asked for the home page,
   * then an article was published before the page was ready) still answers its own visitor, but
   * is not kept: otherwise this process served the page without the article for TTL_MS more.
   */
  #generation = 0

  invalidate() {
    this.#generation++
    this.#pages.clear()
    this.#rendering.clear()
  }

  /**
   * The page under `key`, rendered by `render` when no copy is fresh. The layout shows the
   * commune's settings: a copy made from other settings (they changed) is rendered anew.
   */
  async render(key: string, ctx: HttpContext, render: () => Promise<string>): Promise<string> {
    if (!this.#servesAlike(ctx)) return render()
    const basis = await communeSettings.get()
    const nonce = ctx.response.nonce ?? ''
    const token = ctx.request.csrfToken ?? ''
    const cached = this.#pages.get(key)
    if (cached && cached.basis === basis && Date.now() - cached.at < TTL_MS) return fill(cached, nonce, token)
    // The visitors who find no fresh copy at the same instant (the first seconds of a rush, each
    // expiry) wait for one rendering instead of each rendering the page.
    const rendering = this.#rendering.get(key)
    if (rendering && rendering.basis === basis) {
      const page = await rendering.page
      if (page) return fill(page, nonce, token)
    }
    const page = this.#renderShared(key, basis, nonce, token, render)
    return (await page).html
  }

  #renderShared(key: string, basis: unknown, nonce: string, token: string, render: () => Promise<string>) {
    const generation = this.#generation
    const result = render().then((html) => {
      const copy = cutPage(html, nonce, token)
      const page = copy ? { ...copy, at: Date.now(), basis } : null
      if (page && generation === this.#generation) this.#pages.set(key, page)
      return { html, page }
    })
    const entry = { basis, page: result.then(({ page }) => page, () => null) }
    this.#rendering.set(key, entry)
    const done = () => this.#rendering.get(key) === entry && this.#rendering.delete(key)
    result.then(done, done)
    return result
  }

  #servesAlike(ctx: HttpContext) {
    return !ctx.auth.user && ctx.session.flashMessages.isEmpty && ctx.session.responseFlashMessages.isEmpty
  }
}

const visitorPageCache = new VisitorPageCache()
export default visitorPageCache
