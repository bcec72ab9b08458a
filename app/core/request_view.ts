import edge from 'edge.js'
import { HttpContext } from '@adonisjs/core/http'

type Locals = Record<string, unknown>
type LocalsProvider = () => Locals

/**
 * Each request's Edge renderer, made only when the request renders a template. Adonis makes it
 * on first access of `ctx.view`, and Shield and the layout middleware used to touch it on every
 * request to share their locals — a redirect, a POST, a file or a JSON answer paid for a renderer
 * and for Edge's `share`, which deep-merges (lodash.merge) what it is given. The middleware now
 * leave a provider here instead (`provideViewLocals`), called once when the renderer is made.
 */
const pending = new WeakMap<HttpContext, LocalsProvider[]>()
const made = new WeakSet<HttpContext>()

/** What `provide` returns is shared with this request's views: when they are made, or now if they are. */
export function provideViewLocals(ctx: HttpContext, provide: LocalsProvider) {
  if (made.has(ctx)) {
    ctx.view.share(provide())
    return
  }
  const providers = pending.get(ctx)
  if (providers) providers.push(provide)
  else pending.set(ctx, [provide])
}

/** Replaces Adonis's `ctx.view` getter (same renderer, same `request` local), keeping its once-per-request caching. */
export function installRequestView() {
  HttpContext.getter(
    'view',
    function (this: HttpContext) {
      made.add(this)
      const locals: Locals = { request: this.request }
      for (const provide of pending.get(this) ?? []) Object.assign(locals, provide())
      pending.delete(this)
      return edge.createRenderer().share(locals)
    },
    true
  )
}
