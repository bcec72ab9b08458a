import limiter from '@adonisjs/limiter/services/main'
import { errors } from '@adonisjs/limiter'

/**
 * Login throttling (CNIL 2022-100 pairs it with 12-character passwords): 5 password checks
 * a minute for one account, whatever name, address or device they come from, and a 5-minute
 * pause when the fifth fails; 30 failures in 15 minutes from one address whatever the names,
 * then a 15-minute pause. An unknown name has a budget of its own, spent the same way.
 *
 * The attempt is consumed before the password is verified (the store's consume is atomic),
 * so requests sent at the same instant cannot verify more passwords than the account's budget.
 * A right password gives nothing back (a refund would let a burst verify more than 5); the
 * pauses start only on a failure, so a sixth success within the minute waits for its end.
 */
export const PER_ACCOUNT = { requests: 5, duration: '1 min' } as const
export const ACCOUNT_PAUSE = '5 mins'
export const PER_IP = { requests: 30, duration: '15 mins' } as const
export const IP_PAUSE = '15 mins'

/** Whose budget an attempt spends: an account, or the name typed when it matches none. */
export type LoginSubject = { userId: number } | { unknownName: string }

/** "1 minute", "5 minutes" */
export function frenchDelay(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60))
  return minutes === 1 ? '1 minute' : `${minutes} minutes`
}

function limiters() {
  return { account: limiter.use(PER_ACCOUNT), ip: limiter.use(PER_IP) }
}

function keys(ip: string, subject: LoginSubject) {
  const account =
    'userId' in subject ? `login:account:${subject.userId}` : `login:name:${subject.unknownName.trim().toLowerCase()}`
  return { account, ip: `login:ip:${ip}` }
}

async function consume(lim: ReturnType<typeof limiter.use>, key: string): Promise<{ remaining: number } | { wait: number }> {
  try {
    return { remaining: (await lim.consume(key)).remaining }
  } catch (error) {
    if (!(error instanceof errors.E_TOO_MANY_REQUESTS)) throw error
    return { wait: Math.max(1, error.response.availableIn) }
  }
}

/** One attempt that passed the budgets: the password may now be verified once. */
export interface LoginAttempt {
  ip: string
  subject: LoginSubject
  accountRemaining: number
}

class LoginThrottle {
  /**
   * Refuses an address that used its failures, then spends one attempt of the account;
   * returns the wait when refused. The address counts failures only: parents behind one
   * address logging in at the same instant are never refused for it.
   */
  async begin(ip: string, subject: LoginSubject): Promise<LoginAttempt | { wait: number }> {
    const l = limiters()
    const k = keys(ip, subject)
    if (await l.ip.isBlocked(k.ip)) return { wait: Math.max(1, await l.ip.availableIn(k.ip)) }
    const account = await consume(l.account, k.account)
    if ('wait' in account) return account
    return { ip, subject, accountRemaining: account.remaining }
  }

  /** A wrong password: when it used the last attempt, the pause starts now (seconds returned). */
  async failed(attempt: LoginAttempt): Promise<number> {
    const l = limiters()
    const k = keys(attempt.ip, attempt.subject)
    let wait = 0
    if (attempt.accountRemaining === 0) wait = (await l.account.block(k.account, ACCOUNT_PAUSE)).availableIn
    if ((await l.ip.increment(k.ip)).remaining === 0) wait = Math.max(wait, (await l.ip.block(k.ip, IP_PAUSE)).availableIn)
    return wait
  }
}

const loginThrottle = new LoginThrottle()
export default loginThrottle

/**
 * "Mot de passe oublié ?" mails: at most 3 an hour for one name and 20 an hour from one
 * address. Past that, the page answers the same and sends nothing (no mail bombing).
 */
export const RESET_PER_ACCOUNT = { requests: 3, duration: '1 hour' } as const
export const RESET_PER_IP = { requests: 20, duration: '1 hour' } as const

export async function mayRequestReset(ip: string, uid: string): Promise<boolean> {
  const checks = [
    [limiter.use(RESET_PER_ACCOUNT), `reset:acct:${uid.trim().toLowerCase()}`],
    [limiter.use(RESET_PER_IP), `reset:ip:${ip}`],
  ] as const
  let allowed = true
  for (const [lim, key] of checks) {
    try {
      await lim.consume(key)
    } catch (error) {
      if (!(error instanceof errors.E_TOO_MANY_REQUESTS)) throw error
      allowed = false
    }
  }
  return allowed
}

/** Email changes: 3 confirmation mails an hour for one account. */
export const EMAIL_CHANGE_PER_ACCOUNT = { requests: 3, duration: '1 hour' } as const

/** Seconds to wait before another email change may be mailed, or 0 when this one may go. */
export async function emailChangeWait(userId: number): Promise<number> {
  const outcome = await consume(limiter.use(EMAIL_CHANGE_PER_ACCOUNT), `email-change:${userId}`)
  return 'wait' in outcome ? outcome.wait : 0
}

/** Read-only invitations: 10 mails an hour sent by one guardian, 3 an hour to one address. */
export const INVITATION_PER_INVITER = { requests: 10, duration: '1 hour' } as const
export const INVITATION_PER_ADDRESS = { requests: 3, duration: '1 hour' } as const

/** Seconds to wait before this guardian may mail another invitation to this address, or 0. */
export async function invitationWait(inviterId: number, email: string): Promise<number> {
  for (const [rule, key] of [
    [INVITATION_PER_INVITER, `invitation:inviter:${inviterId}`],
    [INVITATION_PER_ADDRESS, `invitation:address:${email}`],
  ] as const) {
    const outcome = await consume(limiter.use(rule), key)
    if ('wait' in outcome) return outcome.wait
  }
  return 0
}
