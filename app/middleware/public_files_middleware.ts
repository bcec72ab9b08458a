import { readdirSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import StaticMiddleware from '@adonisjs/static/static_middleware'
import type { AssetsConfig } from '@adonisjs/static/types'

/**
 * Serves public/ for the paths that can be files there (/css/…, /js/…) and lets every other
 * request through untouched: the static server looks each path up on disk, and a disk lookup
 * waits for a libuv thread — behind the password hashes of a login rush.
 */
export default class PublicFilesMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const method = ctx.request.method()
    const path = ctx.request.url()
    if (method !== 'GET' && method !== 'HEAD') return next()
    // Built once: Adonis makes a middleware instance for every request.
    publicFiles ??= {
      prefixes: readdirSync(app.publicPath(), { withFileTypes: true }).map((entry) =>
        entry.isDirectory() ? `/${entry.name}/` : `/${entry.name}`
      ),
      server: new StaticMiddleware(app.publicPath(), app.config.get<AssetsConfig>('static')),
    }
    const servable = publicFiles.prefixes.some((prefix) => path.startsWith(prefix))
    return servable ? publicFiles.server.handle(ctx, next) : next()
  }
}

let publicFiles: { prefixes: string[]; server: StaticMiddleware } | undefined
