import type { Route } from '@adonisjs/core/http'
import { MAX_UPLOAD_BYTES } from '#services/upload_service'

export interface UploadRule {
  /** Files one request may carry, each of 40 MB at most. */
  files: number
  /** Only agents may send (checked before anything is read). */
  staff: boolean
  fileBytes: number
  /** The whole request: its files and 1 MB of fields. */
  requestBytes: number
}

const declared: { route: Route; rule: UploadRule }[] = []
let byKey: Map<string, UploadRule> | null = null

/**
 * Declares that a route takes files. A multipart body is read only for such a route and a
 * signed-in user (app/middleware/upload_gate_middleware.ts); any other is refused unread.
 */
export function acceptsUploads(route: Route, options: { files?: number; staff?: boolean } = {}): Route {
  const files = options.files ?? 1
  byKey = null
  declared.push({
    route,
    rule: { files, staff: options.staff ?? false, fileBytes: MAX_UPLOAD_BYTES, requestBytes: files * MAX_UPLOAD_BYTES + 1024 * 1024 },
  })
  return route
}

/** The rule of the matched route (its final pattern, group prefixes applied), or null. */
export function uploadRuleFor(pattern: string, method: string): UploadRule | null {
  // Read once the router is committed (requests come after), when every prefix is applied.
  byKey ??= new Map(declared.flatMap(({ route, rule }) => route.toJSON().methods.map((verb) => [`${verb} ${route.toJSON().pattern}`, rule] as const)))
  return byKey.get(`${method.toUpperCase()} ${pattern}`) ?? null
}
