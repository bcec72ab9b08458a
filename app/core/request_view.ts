import edge from 'edge.js'
import { HttpContext } from '@adonisjs/core/http'
import { SharedGlobalsTemplate } from '#core/shared_globals_template'

type EdgeRenderer = ReturnType<typeof edge.createRenderer>
type Edge = typeof edge
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
  /** Edge's globals, once this request renders. */
  #globals: Locals | null = null

  constructor(ctx: HttpContext) {
    this.#locals = { request: ctx.request }
  }

  /**
   * Edge's renderer merged each shared value into its locals with lodash.merge, a deep copy of
   * every object and array (2 % of the month page's CPU). A template gets the same globals and
   * locals here, shallowly: later values of a name replace earlier ones, as they are noted.
   */
  #state(): Locals {
    if (!this.#globals) {
      // Making a renderer runs Edge's plugins and render callbacks, as Adonis's own view would.
      // The portal registers no render callback: the globals are Edge's own object, not a copy.
      edge.createRenderer()
      this.#globals = edge.globals
    }
    for (const provide of this.#providers) Object.assign(this.#locals, provide())
    this.#providers = []
    return this.#locals
  }

  #template(compiler: Edge['compiler']) {
    const locals = this.#state()
    return new SharedGlobalsTemplate(compiler, this.#globals!, locals, edge.processor)
  }

  share(data: Locals) {
    Object.assign(this.#locals, data)
    return this
  }

  provide(provider: LocalsProvider) {
    this.#providers.push(provider)
  }

  getState() {
    const locals = this.#state()
    return { ...this.#globals, ...locals }
  }

  render(templatePath: string, state: Locals = {}) {
    return this.#template(edge.asyncCompiler).render<Promise<string>>(templatePath, state)
  }

  renderSync(templatePath: string, state: Locals = {}) {
    return this.#template(edge.compiler).render<string>(templatePath, state)
  }

  renderRaw(contents: string, state: Locals = {}, templatePath?: string) {
    return this.#template(edge.asyncCompiler).renderRaw<Promise<string>>(contents, state, templatePath)
  }

  renderRawSync(contents: string, state: Locals = {}, templatePath?: string) {
    return this.#template(edge.compiler).renderRaw<string>(contents, state, templatePath)
  }

  clone() {
    const renderer = edge.createRenderer()
    renderer.share(this.#state())
    return renderer
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
