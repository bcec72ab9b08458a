import hash from '@adonisjs/core/services/hash'
import logger from '@adonisjs/core/services/logger'
import { ConcurrencyLimit } from '#core/concurrency_limit'
import env from '#start/env'

/**
 * Every argon2 operation of the portal — a login's check, a current password confirmed, a new
 * password hashed at activation, reset or change — runs on libuv's thread pool, which also
 * serves reading files and drawing random bytes. During a rush, hundreds queue there: they take
 * these slots, one thread is kept free for the rest, so no page waits behind the hashes.
 */
export const passwordChecks = new ConcurrencyLimit(Math.max(1, Number(process.env.UV_THREADPOOL_SIZE || 4) - 1))

/**
 * The longest a password operation may wait for its slot. Past it, a parent waits longer than a
 * browser, a reverse proxy or the parent will (nginx's default is 60 s): the form is answered at
 * once with when to come back, rather than left to be abandoned after its hash was paid.
 * Exported for the tests, which shorten it.
 */
export const loginQueue = { maxWaitMs: env.get('LOGIN_MAX_WAIT_SECONDS', 30) * 1000 }

/** Too many password operations ahead: nothing was done; come back in `busy` seconds. */
export type Busy = { busy: number }

/**
 * When a form refused for the queue should come back, in seconds: once the operations ahead of
 * it have left half the bound to wait, rounded up to 5 s, at least 10 s.
 */
export function comeBackInSeconds(expectedWaitMs: number, maxWaitMs: number) {
  return Math.max(10, Math.ceil((expectedWaitMs - maxWaitMs / 2) / 5000) * 5)
}

/** A password operation started now would wait past the bound: when to come back; else null. */
export function tooBusy(): Busy | null {
  const expectedWaitMs = passwordChecks.expectedWaitMs()
  if (expectedWaitMs <= loginQueue.maxWaitMs) return null
  noteTurnedAway()
  return { busy: comeBackInSeconds(expectedWaitMs, loginQueue.maxWaitMs) }
}

/** Operations turned away since the last warning: one line in the log every 10 s at most. */
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

let dummyHash: Promise<string> | null = null

/**
 * One password against a hash, or against a throwaway one (an unknown name costs the same
 * time). To be called inside a password slot.
 */
export async function verifyPassword(hashed: string | null | undefined, password: string): Promise<boolean> {
  if (hashed) return hash.verify(hashed, password)
  dummyHash ??= hash.make('portail-famille: compte inconnu, même durée')
  await hash.verify(await dummyHash, password)
  return false
}

/** One password verified in its slot, against the account's hash or, for no account, a throwaway one. */
export function verifyInSlot(hashed: string | null | undefined, password: string): Promise<boolean> {
  return passwordChecks.run(() => verifyPassword(hashed, password))
}

/** A password's hash with today's settings, made in its slot. */
export function hashInSlot(password: string): Promise<string> {
  return passwordChecks.run(() => hash.make(password))
}

/**
 * A new password's hash, made in its slot, unless too many wait. Made before the transaction that
 * saves it, never inside: on SQLite one connection serves the whole portal, and a transaction
 * open for a hash (tens of ms in a rush) would hold every other request that long.
 */
export async function hashNewPassword(password: string): Promise<{ hashed: string } | Busy> {
  return tooBusy() ?? { hashed: await hashInSlot(password) }
}
