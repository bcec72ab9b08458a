/** At most `limit` tasks at once; the others wait their turn in arrival order. */
export class ConcurrencyLimit {
  #running = 0
  #waiting: (() => void)[] = []

  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve))
    else this.#running++
    try {
      return await task()
    } finally {
      const next = this.#waiting.shift()
      if (next) next()
      else this.#running--
    }
  }
}
