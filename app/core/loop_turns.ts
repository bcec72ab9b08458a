/**
 * At most `perTurn` tasks admitted per turn of the event loop; the others wait for the next turns,
 * in arrival order.
 *
 * Node reads every socket that became readable in one go (libuv's poll phase) and runs each
 * request until its first real wait. When 300 parents open the login page at the same instant,
 * that is 300 requests' work (~1 ms each) in one block, and the page of a parent already signed
 * in, read in the next poll, waits for all of it. With the visitors' requests admitted a few per
 * turn (admission happens in the check phase, after the poll), each turn's block stays short: the
 * signed-in requests of the next poll — pages, bookings, the hashed logins' ends — are never far
 * behind. Nothing is refused and no work is added; when the loop is idle a turn takes
 * microseconds, so a lone visitor waits for nothing.
 */
export class LoopTurns {
  #admittedThisTurn = 0
  #turnScheduled = false
  #waiting: (() => void)[] = []

  constructor(readonly perTurn: number) {}

  /** Resolves when the task may run: at once while this turn has room, else in a later turn. */
  admit(): Promise<void> | undefined {
    this.#scheduleTurn()
    if (this.#admittedThisTurn < this.perTurn && this.#waiting.length === 0) {
      this.#admittedThisTurn++
      return undefined
    }
    return new Promise<void>((resolve) => this.#waiting.push(resolve))
  }

  get waiting() {
    return this.#waiting.length
  }

  #scheduleTurn() {
    if (this.#turnScheduled) return
    this.#turnScheduled = true
    setImmediate(() => this.#nextTurn())
  }

  #nextTurn() {
    this.#turnScheduled = false
    this.#admittedThisTurn = 0
    while (this.#admittedThisTurn < this.perTurn && this.#waiting.length) {
      this.#admittedThisTurn++
      this.#waiting.shift()!()
    }
    // One more turn after any admission, which finds this one's count spent: it starts the next at 0.
    if (this.#waiting.length || this.#admittedThisTurn > 0) this.#scheduleTurn()
  }
}
