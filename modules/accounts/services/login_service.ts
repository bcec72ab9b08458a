import hash from '@adonisjs/core/services/hash'
import router from '@adonisjs/core/services/router'
import logger from '@adonisjs/core/services/logger'
import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import User from '#modules/accounts/models/user'
import { nameNewestDevice } from '#modules/accounts/services/device_tokens'
import franceconnectDataToken from '#modules/accounts/services/franceconnect_data_token'
import { ConcurrencyLimit } from '#core/concurrency_limit'
import { directModel, directWrite } from '#core/direct_sql'
import { prepareDateTime } from '#core/datetime_column'
import loginThrottle, { type LoginAttempt } from '#modules/accounts/services/login_throttle'
import env from '#start/env'

let dummyHash: Promise<string> | null = null

/**
 * Password checks run on libuv's thread pool, which also serves reading files and drawing
 * random bytes. During a login rush, hundreds of checks queue there: one thread is kept free
 * for the rest, so no page waits behind the hashes.
 */
export const passwordChecks = new ConcurrencyLimit(Math.max(1, Number(process.env.UV_THREADPOOL_SIZE || 4) - 1))

/**
 * The longest a login may wait for its password check. Past it, a parent waits longer than a
 * browser, a reverse proxy or the parent will (nginx's default is 60 s): the login is answered
 * at once with when to come back, rather than left to be abandoned after its hash was paid.
 * Exported for the tests, which shorten it.
 */
export const loginQueue = { maxWaitMs: env.get('LOGIN_MAX_WAIT_SECONDS', 30) * 1000 }

/**
 * When a login refused for the queue should come back, in seconds: once the logins ahead of it
 * have left half the bound to wait, rounded up to 5 s, at least 10 s.
 */
export function comeBackInSeconds(expectedWaitMs: number, maxWaitMs: number) {
  return Math.max(10, Math.ceil((expectedWaitMs - maxWaitMs / 2) / 5000) * 5)
}

/** One password against a hash, or against a throwaway one (an unknown name costs the same time). */
async function verifyPassword(hashed: string | null | undefined, password: string): Promise<boolean> {
  if (hashed) return hash.verify(hashed, password)
  dummyHash ??= hash.make('portail-famille: compte inconnu, même durée')
  await hash.verify(await dummyHash, password)
  return false
}

/** One password verification, against the account's hash or, for no account, a throwaway one. */
export function verifyLogin(user: User | null, password: string): Promise<boolean> {
  return passwordChecks.run(() => verifyPassword(user?.password, password))
}

export type SignInCheck =
  | { user: User | null; wait: number }
  | { user: User | null; attempt: LoginAttempt; valid: boolean }
  /** Too many logins ahead: nothing was looked up, spent or verified; come back in `busy` seconds. */
  | { busy: number }
  /** The browser left while the login waited: nothing was looked up, spent or verified. */
  | { abandoned: true }

/**
 * A sign-in's account look-up, its rate limit and its one password check, in one password slot.
 * During a rush, hundreds of logins wait for a slot: their look-up and rate-limit statements
 * run when their turn comes, spread over the rush, instead of all at its start in front of the
 * pages of the parents already signed in. The attempt is still spent before the password is
 * verified (login_throttle.ts). A login that would wait past `loginQueue.maxWaitMs` is not
 * queued, and one whose browser has gone when its turn comes (`abandoned`) costs no hash.
 */
export function checkSignIn(uid: string, password: string, ip: string, abandoned: () => boolean = () => false): Promise<SignInCheck> {
  const expectedWaitMs = passwordChecks.expectedWaitMs()
  if (expectedWaitMs > loginQueue.maxWaitMs) {
    noteTurnedAway()
    return Promise.resolve({ busy: comeBackInSeconds(expectedWaitMs, loginQueue.maxWaitMs) })
  }
  return passwordChecks.run(async () => {
    if (abandoned()) return { abandoned: true as const }
    const user = await findByLogin(uid)
    const attempt = await loginThrottle.begin(ip, user ? { userId: user.id } : { unknownName: uid })
    if ('wait' in attempt) return { user, wait: attempt.wait }
    return { user, attempt, valid: await verifyPassword(user?.password, password) }
  })
}

/** Logins turned away since the last warning: one line in the log every 10 s at most, not one a login. */
let turnedAway = 0
let warnedAt = 0

function noteTurnedAway() {
  turnedAway++
  const now = Date.now()
  if (now - warnedAt < 10_000) return
  logger.warn({ turnedAway, waiting: passwordChecks.waiting }, 'connexions renvoyées à plus tard : trop de connexions en attente')
  warnedAt = now
  turnedAway = 0
}

export async function findByLogin(uid: string): Promise<User | null> {
  const value = uid.trim().toLowerCase()
  if (!value) return null
  return directModel(User, 'select * from users where username = ? or email = ? limit 1', [value, value])
}

/** A same-site path to go back to after login, never another site. */
export function safeIntended(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null
  if (['auth.login', 'auth.logout'].some((name) => value.startsWith(router.makeUrl(name)))) return null
  return value
}

/**
 * Opens the session (tagged with the user, so a new password can end it elsewhere) and
 * names the remembered device.
 */
export async function openSession(ctx: HttpContext, user: User, remember: boolean) {
  // A FranceConnect token of an earlier sign-in in this browser never serves another one.
  franceconnectDataToken.forget(ctx)
  await ctx.auth.use('web').login(user, remember)
  await ctx.session.tag(String(user.id))
  await stampLogin(user)
  if (remember) await nameNewestDevice(user.id, ctx.request.header('user-agent'))
}

/**
 * The login's time on the account: one statement written once, not a model save (a query
 * builder and the model's hooks for one column, ~0.5 ms of every login in a rush), unless the
 * model has other changes to save.
 */
async function stampLogin(user: User) {
  const now = DateTime.utc()
  if (user.$isDirty) {
    // Something else to save with it (a password rehashed with today's settings): the model's save.
    user.lastLoginAt = now
    return user.save()
  }
  const stamp = prepareDateTime(now, 'lastLoginAt', user) as string
  await directWrite('update users set last_login_at = ?, updated_at = ? where id = ?', [stamp, stamp, user.id])
  // The same values on the model, as if saved: nothing left for a later save to write.
  user.lastLoginAt = now
  user.updatedAt = now
  Object.assign(user.$original, { lastLoginAt: now, updatedAt: now })
}

export function homeFor(user: User) {
  return router.makeUrl(user.isStaff ? 'staff.home' : 'parent.home')
}
