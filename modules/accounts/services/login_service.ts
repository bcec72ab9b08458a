import router from '@adonisjs/core/services/router'
import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import User from '#modules/accounts/models/user'
import { nameNewestDevice } from '#modules/accounts/services/device_tokens'
import franceconnectDataToken from '#modules/accounts/services/franceconnect_data_token'
import { directModel, directWrite } from '#core/direct_sql'
import { prepareDateTime } from '#core/datetime_column'
import loginThrottle, { type LoginAttempt } from '#modules/accounts/services/login_throttle'
import hash from '@adonisjs/core/services/hash'
import { hashInSlot, passwordChecks, tooBusy, verifyPassword, type Busy } from '#modules/accounts/services/password_hashing'

export type SignInCheck =
  | { user: User | null; wait: number }
  | { user: User | null; attempt: LoginAttempt; valid: boolean }
  /** Too many logins ahead: nothing was looked up, spent or verified; come back in `busy` seconds. */
  | Busy
  /** The browser left while the login waited: nothing was looked up, spent or verified. */
  | { abandoned: true }

/**
 * A sign-in's account look-up, its rate limit and its one password check, in one password slot.
 * During a rush, hundreds of logins wait for a slot: their look-up and rate-limit statements
 * run when their turn comes, spread over the rush, instead of all at its start in front of the
 * pages of the parents already signed in. The attempt is still spent before the password is
 * verified (login_throttle.ts). A login that would wait past the queue's bound is not
 * queued, and one whose browser has gone when its turn comes (`abandoned`) costs no hash.
 */
export function checkSignIn(uid: string, password: string, ip: string, abandoned: () => boolean = () => false): Promise<SignInCheck> {
  const busy = tooBusy()
  if (busy) return Promise.resolve(busy)
  return passwordChecks.run(async () => {
    if (abandoned()) return { abandoned: true as const }
    const user = await findByLogin(uid)
    const attempt = await loginThrottle.begin(ip, user ? { userId: user.id } : { unknownName: uid })
    if ('wait' in attempt) return { user, wait: attempt.wait }
    return { user, attempt, valid: await verifyPassword(user?.password, password) }
  })
}

/**
 * A password hashed with older settings is hashed again with today's at a successful login —
 * when a password slot is free: in a rush, a second hash would make the logins behind it wait,
 * and the next login will do it.
 */
export async function rehashIfIdle(user: User, password: string) {
  if (!user.password || !hash.needsReHash(user.password) || passwordChecks.expectedWaitMs() > 0) return
  user.usePasswordHash(await hashInSlot(password))
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
