import app from '@adonisjs/core/services/app'
import { HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'
import SessionMiddleware from '@adonisjs/session/session_middleware'
import CsrfMiddleware from '#middleware/csrf_middleware'
import InitializeAuthMiddleware from '@adonisjs/auth/initialize_auth_middleware'
import communeSettings, { DEFAULT_SETTINGS } from '#services/commune_settings'
import { isDatabaseUnavailable } from '#core/database_guard'
import LayoutMiddleware from '#middleware/layout_middleware'
import ForbiddenException from '#exceptions/forbidden_exception'

const emptyFlash = { has: () => false, get: (_key: string, fallback?: unknown) => fallback, all: () => ({}) }

/**
 * Every error a person can meet gets a French page in the portal's layout; no stack
 * trace reaches a parent. An expired form (bad CSRF token) gets the 419 page.
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction && !app.inTest
  protected renderStatusPages = true
  /** Refusals a person caused (login required, forbidden, not found, expired form) are not incidents. */
  protected ignoreStatuses = [400, 401, 403, 404, 405, 413, 415, 419, 422, 429]
  protected ignoreCodes = ['E_BAD_CSRF_TOKEN', 'E_ROW_NOT_FOUND', 'E_VALIDATION_ERROR', 'E_UNAUTHORIZED_ACCESS']

  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '403': (error, { view }) => view.render('pages/errors/403', { error }),
    '404': (_, { view }) => view.render('pages/errors/404'),
    '415': (_, { view }) => view.render('pages/errors/415'),
    '419': (_, ctx) => ctx.view.render('pages/errors/419', { formPage: sameOriginPath(ctx) }),
    '429': (error, { view }) => view.render('pages/errors/429', { error }),
    '500..599': (_, { view }) => view.render('pages/errors/500'),
  }

  async handle(error: any, ctx: HttpContext) {
    if (error?.code === 'E_BAD_CSRF_TOKEN') {
      // Shield's own handling redirects back silently; the user is told instead, and nothing is saved.
      await this.shareLayoutDefaults(ctx)
      return ctx.response.status(419).send(await ctx.view.render('pages/errors/419', { formPage: sameOriginPath(ctx) }))
    }
    if (error?.code === 'E_AUTHORIZATION_FAILURE' && (error.response?.status ?? 403) === 403) {
      // Bouncer answers in plain text: a refusal gets the portal's 403 page, with the policy's sentence.
      error = new ForbiddenException(error.response?.message || undefined)
    }
    if (error?.code === 'E_ROW_NOT_FOUND') {
      error.status = 404
    }
    if (isDatabaseUnavailable(error)) {
      // A busy, hung or unreachable database: the page says so at once, without asking the database again.
      error.status = 503
      await this.shareLayoutDefaults(ctx, false)
      ctx.response.header('Retry-After', '5')
      return ctx.response.status(503).send(await ctx.view.render('pages/errors/503'))
    }
    if ((ctx as any).session) {
      await this.shareLayoutDefaults(ctx)
      return super.handle(error, ctx)
    }
    return this.withRouterMiddleware(ctx, async () => {
      await this.shareLayoutDefaults(ctx)
      return super.handle(error, ctx)
    })
  }

  /**
   * An unknown URL fails before the router's middleware: the session, the CSRF token and the
   * signed-in user are read here, so a signed-in person keeps their layout on the error page.
   * The CSRF guard runs for reads only: a POST to an unknown URL is a 404, not an expired form.
   */
  protected async withRouterMiddleware(ctx: HttpContext, render: () => Promise<unknown>) {
    const readOnly = ['GET', 'HEAD'].includes(ctx.request.method())
    const chain: any[] = [SessionMiddleware, ...(readOnly ? [CsrfMiddleware] : []), InitializeAuthMiddleware, LayoutMiddleware]
    let rendered = false
    const step = async (index: number): Promise<unknown> => {
      if (index === chain.length) {
        rendered = true
        return render()
      }
      const middleware = await ctx.containerResolver.make(chain[index])
      return middleware.handle(ctx, () => step(index + 1))
    }
    try {
      return await step(0)
    } catch (failure) {
      if (rendered) throw failure
      return render()
    }
  }

  /**
   * An unknown URL never runs the router middleware, so the layout's data may be missing:
   * fill what is absent so the error page still renders in the commune's layout.
   */
  protected async shareLayoutDefaults(ctx: HttpContext, databaseUp = true) {
    const state = ctx.view.getState?.() ?? {}
    const defaults: Record<string, unknown> = {
      currentUser: null,
      currentPath: ctx.request.url(),
      publicMenu: [],
      parentMenu: [],
      staffMenu: [],
      flashMessages: emptyFlash,
      csrfField: () => '',
      idleMinutes: 0,
    }
    defaults.cspNonce = (ctx.response as any).nonce ?? ''
    const missing = Object.fromEntries(Object.entries(defaults).filter(([key]) => state[key] === undefined))
    if (state.commune === undefined) {
      missing.commune = databaseUp ? await communeSettings.get().catch(() => DEFAULT_SETTINGS) : communeSettings.lastKnown()
    }
    ctx.view.share(missing)
  }

  async report(error: unknown, ctx: HttpContext) {
    return super.report(error, ctx)
  }
}

/** The page the expired form was sent from (its Referer), when it is one of ours: a path, never another site. */
function sameOriginPath(ctx: HttpContext): string | null {
  const referer = ctx.request.header('referer')
  if (!referer) return null
  try {
    const url = new URL(referer)
    if (url.host !== ctx.request.host()) return null
    return url.pathname.startsWith('/') && !url.pathname.startsWith('//') ? `${url.pathname}${url.search}` : null
  } catch {
    return null
  }
}
