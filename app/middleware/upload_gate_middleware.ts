import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import { Exception } from '@adonisjs/core/exceptions'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import ForbiddenException from '#exceptions/forbidden_exception'
import { uploadRuleFor, type UploadRule } from '#core/upload_routes'

/** Where a request's files wait until the route stores them; emptied at the end of each request. */
export const UPLOAD_TMP_DIR = app.tmpPath('uploads')

const megabytes = (bytes: number) => Math.round(bytes / (1024 * 1024))

/**
 * The only reader of multipart bodies (the body parser's autoProcess is off). Before a byte is
 * written: the route must take files (acceptsUploads), the user must be signed in (an agent for
 * staff routes). Then the files are streamed to UPLOAD_TMP_DIR under the route's limits, CSRF
 * and the controller run, and every file written is removed when the request ends, accepted
 * (moved away already) or not.
 */
export default class UploadGateMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const { request } = ctx
    if (!request.multipart || !request.is(['multipart/form-data'])) return next()
    const rule = ctx.route ? uploadRuleFor(ctx.route.pattern, request.method()) : null
    if (!rule) {
      throw new Exception("Ce formulaire n'accepte pas de fichier joint.", { status: 415, code: 'E_UPLOAD_NOT_ACCEPTED' })
    }
    await ctx.auth.authenticateUsing(undefined, { loginRoute: router.makeUrl('auth.login') })
    if (rule.staff && !ctx.auth.user?.isStaff) throw new ForbiddenException('Accès réservé aux agents de la commune')

    const written: string[] = []
    const writes: Promise<unknown>[] = []
    const multipart = request.multipart
    multipart.onFile('*', { size: rule.fileBytes, deferValidations: false }, async (part, report) => {
      await mkdir(UPLOAD_TMP_DIR, { recursive: true })
      const tmpPath = join(UPLOAD_TMP_DIR, randomUUID())
      written.push(tmpPath)
      part.pause()
      part.on('data', report)
      const write = pipeline(part, createWriteStream(tmpPath))
      writes.push(write.catch(() => {}))
      try {
        await write
        return { tmpPath }
      } catch (error) {
        multipart.abort(error)
      }
    })
    try {
      try {
        await multipart.process({ limit: rule.requestBytes })
      } catch (error) {
        if (error?.code === 'E_STREAM_VALIDATION_FAILURE' || error?.code === 'E_REQUEST_ENTITY_TOO_LARGE') return this.#tooLarge(ctx, rule)
        throw error
      }
      return await next()
    } finally {
      await Promise.all(writes)
      await Promise.all(written.map((path) => rm(path, { force: true })))
    }
  }

  /** Over the route's limit: back to the form, the sentence beside the file field, the other fields kept. */
  #tooLarge(ctx: HttpContext, rule: UploadRule) {
    const files = Object.values(ctx.request.allFiles()).flat() as MultipartFile[]
    const file = files.find((one) => one.errors.some((error) => error.type === 'size')) ?? files.at(-1)
    const field = (file?.fieldName ?? 'document').replace(/\[\d*\]$/, '')
    const message =
      file && file.errors.some((error) => error.type === 'size')
        ? `Le fichier « ${file.clientName} » dépasse ${megabytes(rule.fileBytes)} Mo.`
        : `Les fichiers envoyés dépassent ensemble ${megabytes(rule.requestBytes)} Mo : envoyez-en moins à la fois.`
    ctx.session.flashExcept(['_csrf'])
    ctx.session.flash('inputErrorsBag', { [field]: [message] })
    return ctx.response.redirect().back()
  }
}
