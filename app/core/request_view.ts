import edge from 'edge.js'
import { HttpContext } from '@adonisjs/core/http'

type EdgeRenderer = ReturnType<typeof edge.createRenderer>
type Locals = Record<string, unknown>
type LocalsProvider = () => Locals

/**
 * Each request's `ctx.view`, whose Edge renderer is made only when the request renders a
 * template. Adonis makes the renderer on first access, and the session, Shield and the layout
 * touch `ctx.view` on every request to share their locals: a redirect, a POST, a file or a JSON
 * answer paid for a renderer and for Edge's `share`, a deep merge (lodash.merge) of each value.
 * Until it renders, what is shared is only noted (later values of a name replace earlier ones),
 * and `provideViewLocals` defers computing them at all.
 */
class RequestView {
  #locals: Locals
  #providers: LocalsProvider[] = []
  #renderer: EdgeRenderer | null = null

  constructor(ctx: HttpContext) {
    this.#locals = { request: ctx.request }
  }

  get #edge(): EdgeRenderer {
    if (!this.#renderer) {
      for (const provide of this.#providers) Object.assign(this.#locals, provide())
      this.#providers = []
      this.#renderer = edge.createRenderer().share(this.#locals)
    }
    return this.#renderer
  }

  share(data: Locals) {
    if (this.#renderer) this.#renderer.share(data)
    else Object.assign(this.#locals, data)
    return this
  }

  provide(provider: LocalsProvider) {
    if (this.#renderer) this.#renderer.share(provider())
    else this.#providers.push(provider)
  }

  getState() {
    return this.#edge.getState()
  }

  render(templatePath: string, state?: Locals) {
    return this.#edge.render(templatePath, state)
  }

  renderSync(templatePath: string, state?: Locals) {
    return this.#edge.renderSync(templatePath, state)
  }

  renderRaw(contents: string, state?: Locals, templatePath?: string) {
    return this.#edge.renderRaw(contents, state, templatePath)
  }

  renderRawSync(contents: string, state?: Locals, templatePath?: string) {
    return this.#edge.renderRawSync(contents, state, templatePath)
  }

  clone() {
    return this.#edge.clone()
  }
}

/** What `provide` returns is shared with this request's views, computed only if the request renders one. */
export function provideViewLocals(ctx: HttpContext, provide: LocalsProvider) {
  ;(ctx.view as unknown as RequestView).provide(provide)
}

/** Replaces Adonis's `ctx.view` getter (same locals, same once-per-request instance). */
export function installRequestView() {
  HttpContext.getter('view', function (this: HttpContext) {
    return new RequestView(this) as unknown as EdgeRenderer
  }, true)
}
