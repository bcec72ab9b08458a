import { readdirSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import StaticMiddleware from '@adonisjs/static/static_middleware'
import type { AssetsConfig } from '@adonisjs/static/types'
import { IMMUTABLE } from '#core/asset_url'
import publicAssets from '#start/assets'

/**
 * Serves public/ for the paths that can be files there (/css/…, /js/…) and lets every other
 * request through untouched: the static server looks each path up on disk, and a disk lookup
 * waits for a libuv thread — behind the password hashes of a login rush. A URL with the file's
 * content hash (views write them with `asset()`) gets a year's cache; the plain path, the
 * usual hour.
 */
export default class PublicFilesMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const method = ctx.request.method()
    let path = ctx.request.url()
    if (method !== 'GET' && method !== 'HEAD') return next()
    // Built once: Adonis makes a middleware instance for every request.
    publicFiles ??= {
      prefixes: readdirSync(app.publicPath(), { withFileTypes: true }).map((entry) =>
        entry.isDirectory() ? `/${entry.name}/` : `/${entry.name}`
      ),
      server: new StaticMiddleware(app.publicPath(), app.config.get<AssetsConfig>('static')),
    }
    const hashed = publicAssets.resolve(path)
    if (hashed) {
      path = hashed.path
      // The static server reads the raw request's URL; the app's own stays as it came.
      ctx.request.request.url = path
      // An older hash gets today's file, but not for a year.
      if (hashed.current) ctx.response.header('cache-control', IMMUTABLE)
    }
    const servable = publicFiles.prefixes.some((prefix) => (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix))
    return servable ? publicFiles.server.handle(ctx, next) : next()
  }
}

let publicFiles: { prefixes: string[]; server: StaticMiddleware } | undefined
