/**
 * Long work in the server's process (a month's PES or SEPA file for 20,000 families: seconds of
 * rows, decryption and XML) gives the event loop back every `sliceMs`, so that the parents'
 * requests arriving meanwhile are answered between two slices instead of after the whole file.
 * `await share.turn()` between two items: at once while the slice lasts (no promise, no cost),
 * else after one turn of the loop (setImmediate: after the sockets that became readable).
 */
export class LoopShare {
  #since = performance.now()

  constructor(readonly sliceMs = 10) {}

  turn(): Promise<void> | undefined {
    if (performance.now() - this.#since < this.sliceMs) return undefined
    return new Promise((resolve) =>
      setImmediate(() => {
        this.#since = performance.now()
        resolve()
      })
    )
  }
}
