import hash from '@adonisjs/core/services/hash'
import router from '@adonisjs/core/services/router'
import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import User from '#modules/accounts/models/user'
import { nameNewestDevice } from '#modules/accounts/services/device_tokens'
import franceconnectDataToken from '#modules/accounts/services/franceconnect_data_token'
import { ConcurrencyLimit } from '#core/concurrency_limit'
import { directModel, directWrite } from '#core/direct_sql'
import { prepareDateTime } from '#core/datetime_column'
import loginThrottle, { type LoginAttempt } from '#modules/accounts/services/login_throttle'

let dummyHash: Promise<string> | null = null

/**
 * Password checks run on libuv's thread pool, which also serves reading files and drawing
 * random bytes. During a login rush, hundreds of checks queue there: one thread is kept free
 * for the rest, so no page waits behind the hashes.
 */
const passwordChecks = new ConcurrencyLimit(Math.max(1, Number(process.env.UV_THREADPOOL_SIZE || 4) - 1))

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

/**
 * A sign-in's account look-up, its rate limit and its one password check, in one password slot.
 * During a rush, hundreds of logins wait for a slot: their look-up and rate-limit statements
 * run when their turn comes, spread over the rush, instead of all at its start in front of the
 * pages of the parents already signed in. The attempt is still spent before the password is
 * verified (login_throttle.ts).
 */
export function checkSignIn(uid: string, password: string, ip: string): Promise<SignInCheck> {
  return passwordChecks.run(async () => {
    const user = await findByLogin(uid)
    const attempt = await loginThrottle.begin(ip, user ? { userId: user.id } : { unknownName: uid })
    if ('wait' in attempt) return { user, wait: attempt.wait }
    return { user, attempt, valid: await verifyPassword(user?.password, password) }
  })
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
