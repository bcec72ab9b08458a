import limiter from '@adonisjs/limiter/services/main'
import { errors } from '@adonisjs/limiter'

/**
 * Login throttling (CNIL 2022-100 pairs it with 12-character passwords): 5 failures a
 * minute for one name from one address, then a 5-minute pause; 30 failures in 15 minutes
 * from one address whatever the names, then a 15-minute pause. Known and unknown names
 * count the same way.
 */
export const PER_ACCOUNT = { requests: 5, duration: '1 min', blockDuration: '5 mins' } as const
export const PER_IP = { requests: 30, duration: '15 mins', blockDuration: '15 mins' } as const

function limiters() {
  return { account: limiter.use(PER_ACCOUNT), ip: limiter.use(PER_IP) }
}

function keys(ip: string, uid: string) {
  return { account: `login:acct:${ip}:${uid.trim().toLowerCase()}`, ip: `login:ip:${ip}` }
}

/** "1 minute", "5 minutes" */
export function frenchDelay(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60))
  return minutes === 1 ? '1 minute' : `${minutes} minutes`
}

class LoginThrottle {
  /** Seconds to wait, or 0 when the attempt may go on. */
  async blockedFor(ip: string, uid: string): Promise<number> {
    const l = limiters()
    const k = keys(ip, uid)
    let wait = 0
    if (await l.account.isBlocked(k.account)) wait = Math.max(wait, await l.account.availableIn(k.account))
    if (await l.ip.isBlocked(k.ip)) wait = Math.max(wait, await l.ip.availableIn(k.ip))
    return wait
  }

  /** Counts a failure; when it uses up a budget, blocks at once and returns the wait (seconds). */
  async failed(ip: string, uid: string): Promise<number> {
    const l = limiters()
    const k = keys(ip, uid)
    let wait = 0
    for (const [lim, key] of [
      [l.account, k.account],
      [l.ip, k.ip],
    ] as const) {
      try {
        const response = await lim.consume(key)
        if (response.remaining === 0) {
          wait = Math.max(wait, (await lim.block(key, lim === l.account ? PER_ACCOUNT.blockDuration : PER_IP.blockDuration)).availableIn)
        }
      } catch (error) {
        if (!(error instanceof errors.E_TOO_MANY_REQUESTS)) throw error
        wait = Math.max(wait, error.response.availableIn)
      }
    }
    return wait
  }

  async succeeded(ip: string, uid: string) {
    await limiters().account.delete(keys(ip, uid).account)
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
