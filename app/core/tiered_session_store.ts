import type { HttpContext } from '@adonisjs/core/http'
import type { CookieOptions } from '@adonisjs/core/types/http'
import type { SessionData, SessionStoreWithTaggingContract, TaggedSession } from '@adonisjs/session/types'
import { MessageBuilder } from '@adonisjs/core/helpers'
import type { RedisConnection } from '@adonisjs/redis'
import type { directRead, directWrite } from '#core/direct_sql'

/** The encrypted cookie that holds a visitor's session, or says it lives server-side. */
export const SESSION_DATA_COOKIE = 'portail-session-donnees'

/** Above this many characters of JSON, a visitor's session goes server-side (a cookie stops at 4 KB). */
const COOKIE_DATA_LIMIT = 2500

/** A server-side session's expiry is pushed back at most once a minute, not on every request. */
const TOUCH_INTERVAL_MS = 60_000

/**
 * When this process last pushed back each server-side session's expiry (the most recent
 * 10,000 sessions). Another process may push it back once more in the same minute: harmless.
 */
const lastTouched = new Map<string, number>()
const LAST_TOUCHED_SIZE = 10_000

function markTouched(sessionId: string, now: number) {
  lastTouched.delete(sessionId)
  if (lastTouched.size >= LAST_TOUCHED_SIZE) lastTouched.delete(lastTouched.keys().next().value!)
  lastTouched.set(sessionId, now)
}

function touchedRecently(sessionId: string, now: number) {
  const at = lastTouched.get(sessionId)
  if (at !== undefined && now - at < TOUCH_INTERVAL_MS) return true
  markTouched(sessionId, now)
  return false
}

type DataCookie = { id: string; data: SessionData } | { id: string; server: true }

/** Writes a session's values and its user together (the server store's write and tag at once). */
export type TaggedWrite = (sessionId: string, values: SessionData, userId: string) => Promise<void>

/** Writes a session's values (the server store's write). */
export type ServerWrite = (sessionId: string, values: SessionData) => Promise<void>

type DirectWrite = typeof directWrite
type SqlSessionOptions = { ttlSeconds: number; gcProbability: number; tableName?: string }

/**
 * The database store's writes, each one statement written once for the driver (#core/direct_sql):
 * the same row (`id`, `data` signed by MessageBuilder with the session id as purpose,
 * `expires_at`, and `user_id` for a tagged write) that its write() — or its tag() then write(),
 * at a login — leaves. After a write, as the store does, expired rows are deleted with the
 * configured probability (in percent).
 */
export function sqlSessionWrites(run: DirectWrite, { ttlSeconds, gcProbability, tableName = 'sessions' }: SqlSessionOptions) {
  const upsert = (columns: string[]) =>
    `insert into ${tableName} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}) ` +
    `on conflict (id) do update set ${columns.filter((column) => column !== 'id').map((column) => `${column} = excluded.${column}`).join(', ')}`
  const plain = upsert(['id', 'data', 'expires_at'])
  const tagged = upsert(['id', 'user_id', 'data', 'expires_at'])
  const collectGarbage = async () => {
    if (Math.random() * 100 < gcProbability) await run(`delete from ${tableName} where expires_at <= ?`, [new Date()])
  }
  const signed = (sessionId: string, values: SessionData) => new MessageBuilder().build(values, undefined, sessionId)
  const expiry = () => new Date(Date.now() + ttlSeconds * 1000)
  const write: ServerWrite = async (sessionId, values) => {
    await run(plain, [sessionId, signed(sessionId, values), expiry()])
    await collectGarbage()
  }
  const taggedWrite: TaggedWrite = async (sessionId, values, userId) => {
    await run(tagged, [sessionId, userId, signed(sessionId, values), expiry()])
    await collectGarbage()
  }
  return { write, taggedWrite }
}

/**
 * A server-side session's values as the database store reads them (`data` signed by
 * MessageBuilder with the session id as purpose), or 'expired' for the store to delete it.
 */
export type ServerRead = (sessionId: string) => Promise<SessionData | null | 'expired'>

/**
 * The database store's read in one statement written once for the driver (#core/direct_sql):
 * every signed-in request reads its session first. Same row, same checks; an expired row is left
 * to the store's own read, which deletes it.
 */
export function sqlSessionRead(read: typeof directRead, tableName = 'sessions'): ServerRead {
  return async (sessionId) => {
    const [row] = await read<{ data: string; expires_at: string | number | Date }>(`select data, expires_at from ${tableName} where id = ? limit 1`, [sessionId])
    if (!row) return null
    if (Date.now() > new Date(row.expires_at).getTime()) return 'expired'
    try {
      return new MessageBuilder().verify(row.data, sessionId) ?? null
    } catch {
      return null
    }
  }
}

/**
 * A visitor sends the same data cookie with each request until its session changes: its JSON,
 * once decrypted (and so authenticated), is kept by the exact encrypted text, which saves the
 * AES and HMAC of the next requests. A cookie that fails to decrypt is never kept.
 */
const decryptedCookies = new Map<string, string>()
const DECRYPTED_COOKIES_SIZE = 1000

function decryptDataCookie(ctx: HttpContext): any {
  const encrypted = ctx.request.cookiesList()[SESSION_DATA_COOKIE]
  if (typeof encrypted !== 'string') return null
  const kept = decryptedCookies.get(encrypted)
  // parsed again each time: the session changes the values it is given
  if (kept !== undefined) return JSON.parse(kept)
  const value = ctx.request.encryptedCookie(SESSION_DATA_COOKIE)
  if (value && typeof value === 'object') {
    if (decryptedCookies.size >= DECRYPTED_COOKIES_SIZE) decryptedCookies.delete(decryptedCookies.keys().next().value!)
    decryptedCookies.set(encrypted, JSON.stringify(value))
  }
  return value
}

/**
 * The tagged write of @adonisjs/session's Redis store in one round trip: its tag (the session id
 * added to the set `session_tag:<user>`) and its write (SETEX of the signed data), in one MULTI.
 */
export function redisTaggedWrite(connection: () => Pick<RedisConnection, 'multi'>, ttlSeconds: number): TaggedWrite {
  return async (sessionId, values, userId) => {
    const message = new MessageBuilder().build(values, undefined, sessionId)
    const results = await connection().multi().sadd(`session_tag:${userId}`, sessionId).setex(sessionId, ttlSeconds, message).exec()
    const failed = results?.find(([error]) => error)?.[0]
    if (!results || failed) throw failed ?? new Error('Redis: the session was not written (MULTI aborted)')
  }
}

/**
 * Whether the request comes from a signed-in session (its data cookie, authenticated by its
 * encryption, says the session lives server-side): read before the session itself, without a
 * query. A visitor, or a browser that lost the cookie, is not.
 */
export function fromServerSideSession(ctx: HttpContext): boolean {
  const value = decryptDataCookie(ctx)
  return Boolean(value && typeof value === 'object' && value.server === true)
}

/**
 * Sessions in two tiers. A signed-in user's session lives server-side (the database or Redis,
 * shared by every app process and tagged with the user, so a new password, a disabled account or
 * "log out everywhere" ends it at once). Any other session — a visitor's CSRF secret, a flash
 * message — lives in an encrypted cookie: a visitor costs no query and no row. The cookie of a
 * server-side session only says so (and when its expiry was last pushed back), so a request
 * without it never reads the database.
 */
export class TieredSessionStore implements SessionStoreWithTaggingContract {
  #server: SessionStoreWithTaggingContract
  #ctx: HttpContext | null
  #cookieOptions: Partial<CookieOptions>
  #signedInKey: string
  #sessionCookie: string
  #taggedWrite: TaggedWrite | undefined
  #serverRead: ServerRead | undefined
  #serverWrite: ServerWrite | undefined
  #pendingTag: { sessionId: string; userId: string } | null = null
  #cookie: DataCookie | null | undefined

  constructor(
    server: SessionStoreWithTaggingContract,
    ctx: HttpContext | null,
    options: { cookie: Partial<CookieOptions>; signedInKey: string; sessionCookie: string; taggedWrite?: TaggedWrite; serverRead?: ServerRead; serverWrite?: ServerWrite }
  ) {
    this.#server = server
    this.#ctx = ctx
    this.#cookieOptions = options.cookie
    this.#signedInKey = options.signedInKey
    this.#sessionCookie = options.sessionCookie
    this.#taggedWrite = options.taggedWrite
    this.#serverRead = options.serverRead
    this.#serverWrite = options.serverWrite
  }



  /** The data cookie of this session id (as this response leaves it), or null. */
  #readCookie(sessionId: string): DataCookie | null {
    if (this.#cookie === undefined) {
      const value = this.#ctx ? decryptDataCookie(this.#ctx) : null
      this.#cookie = value && typeof value === 'object' && typeof value.id === 'string' ? (value as DataCookie) : null
    }
    return this.#cookie?.id === sessionId ? this.#cookie : null
  }

  /** Replaces (never adds to) the data cookie this response sets. */
  #writeCookie(value: DataCookie | null) {
    const response = this.#ctx?.response
    if (!response) return
    const others = ([] as string[])
      .concat((response.getHeader('set-cookie') as string[] | string | undefined) ?? [])
      .filter((line) => !line.startsWith(`${SESSION_DATA_COOKIE}=`))
    response.removeHeader('set-cookie')
    for (const line of others) response.append('set-cookie', line)
    if (value) response.encryptedCookie(SESSION_DATA_COOKIE, value, this.#cookieOptions)
    else response.clearCookie(SESSION_DATA_COOKIE)
    this.#cookie = value
  }

  /**
   * Where this session's values are: its data cookie says so. Without one, a session id the
   * browser sent back may still exist server-side (the data cookie was lost, or a test client
   * wrote the session); a new visitor's session exists nowhere yet.
   */
  #locate(sessionId: string): DataCookie | null {
    if (!this.#ctx) return { id: sessionId, server: true }
    const cookie = this.#readCookie(sessionId)
    if (cookie) return cookie
    return this.#ctx.request.cookie(this.#sessionCookie) === sessionId ? { id: sessionId, server: true } : null
  }

  async read(sessionId: string) {
    const location = this.#locate(sessionId)
    if (!location) return null
    // A cookie never carries a signed-in user: such a session exists server-side or not at all.
    if ('data' in location) return this.#signedInKey in location.data ? null : location.data
    const values = this.#serverRead ? await this.#serverRead(sessionId) : 'expired'
    return values === 'expired' ? this.#server.read(sessionId) : values
  }

  async write(sessionId: string, values: SessionData) {
    const belongsOnServer =
      this.#signedInKey in values || !this.#ctx || JSON.stringify(values).length > COOKIE_DATA_LIMIT
    if (belongsOnServer) {
      const tag = this.#pendingTag?.sessionId === sessionId ? this.#pendingTag : null
      this.#pendingTag = null
      if (tag) await this.#taggedWrite!(sessionId, values, tag.userId)
      else if (this.#serverWrite) await this.#serverWrite(sessionId, values)
      else await this.#server.write(sessionId, values)
      markTouched(sessionId, Date.now())
      const cookie = this.#readCookie(sessionId)
      if (!cookie || 'data' in cookie) this.#writeCookie({ id: sessionId, server: true })
      return
    }
    const previous = this.#locate(sessionId)
    if (previous && 'server' in previous) await this.#server.destroy(sessionId)
    this.#writeCookie({ id: sessionId, data: values })
  }

  async destroy(sessionId: string) {
    const location = this.#locate(sessionId)
    if (location && 'server' in location) await this.#server.destroy(sessionId)
    if (this.#readCookie(sessionId)) this.#writeCookie(null)
  }

  async touch(sessionId: string) {
    const location = this.#locate(sessionId)
    if (!location || !('server' in location)) return
    if (touchedRecently(sessionId, Date.now())) return
    await this.#server.touch(sessionId)
    if (!this.#readCookie(sessionId)) this.#writeCookie(location)
  }

  /**
   * A login tags the session, then the request's end writes it: with a tagged write, both
   * happen in that one write (the tag waits for it; a request that ends without writing its
   * session leaves no row, tagged or not).
   */
  async tag(sessionId: string, userId: string) {
    if (this.#taggedWrite && this.#ctx) {
      this.#pendingTag = { sessionId, userId }
      return
    }
    return this.#server.tag(sessionId, userId)
  }

  tagged(userId: string): Promise<TaggedSession[]> {
    return this.#server.tagged(userId)
  }
}
