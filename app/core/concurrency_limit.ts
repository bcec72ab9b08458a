/** How much one task's time moves the average: about the last ten tasks count. */
const SMOOTHING = 0.1

/**
 * At most `limit` tasks at once; the others wait their turn in arrival order. It keeps the
 * average time a task holds its place, so that a caller can tell how long a task started now
 * would wait before it runs (`expectedWaitMs`).
 */
export class ConcurrencyLimit {
  #running = 0
  #waiting: (() => void)[] = []
  #averageMs = 0
  #measured = false

  constructor(
    readonly limit: number,
    private readonly clock: () => number = () => performance.now()
  ) {}

  /** Tasks waiting for a place. */
  get waiting() {
    return this.#waiting.length
  }

  /**
   * How long a task started now would wait for its place, in ms: the tasks ahead of it pass
   * `limit` at a time, each holding its place the average time. 0 while a place is free.
   */
  expectedWaitMs() {
    if (this.#running < this.limit) return 0
    return ((this.#waiting.length + 1) / this.limit) * this.#averageMs
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve))
    else this.#running++
    const started = this.clock()
    try {
      return await task()
    } finally {
      this.#held(this.clock() - started)
      const next = this.#waiting.shift()
      if (next) next()
      else this.#running--
    }
  }

  #held(ms: number) {
    this.#averageMs = this.#measured ? this.#averageMs + (ms - this.#averageMs) * SMOOTHING : ms
    this.#measured = true
  }
}
