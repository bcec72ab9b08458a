/**
 * The client side of API Particulier's published limits (20 calls/s per token, 1,000/min per IP):
 * `acquire()` waits until a call fits every window; after a 429, `pauseFor(seconds)` holds
 * every caller until Retry-After has passed.
 */
export interface Window {
  limit: number
  windowMs: number
}

export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

export class RateLimiter {
  #calls: number[][]
  #pausedUntil = 0
  #queue: Promise<void> = Promise.resolve()

  constructor(
    private windows: Window[],
    private clock: Clock = realClock
  ) {
    this.#calls = windows.map(() => [])
  }

  /** How long the next call must wait (0: it may go now). */
  waitMs(): number {
    const now = this.clock.now()
    let wait = Math.max(0, this.#pausedUntil - now)
    this.windows.forEach((rule, index) => {
      const recent = (this.#calls[index] = this.#calls[index].filter((time) => time > now - rule.windowMs))
      if (recent.length >= rule.limit) wait = Math.max(wait, recent[recent.length - rule.limit] + rule.windowMs - now)
    })
    return wait
  }

  /** Resolves when a call may go, and counts it; callers are served in order. */
  acquire(): Promise<void> {
    const turn = this.#queue.then(async () => {
      for (let wait = this.waitMs(); wait > 0; wait = this.waitMs()) await this.clock.sleep(wait)
      const now = this.clock.now()
      this.#calls.forEach((calls) => calls.push(now))
    })
    this.#queue = turn.catch(() => {})
    return turn
  }

  pauseFor(seconds: number) {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.clock.now() + seconds * 1000)
  }
}
