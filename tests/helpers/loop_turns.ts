/**
 * How many turns the event loop made while `work` ran: each one a moment when the server could
 * read and answer another request (a parent's page) before the work was over. A long job that
 * holds the loop makes none.
 */
export async function loopTurnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0
  let running = true
  const tick = () => {
    if (!running) return
    turns++
    setImmediate(tick)
  }
  setImmediate(tick)
  try {
    return { result: await work(), turns }
  } finally {
    running = false
  }
}
