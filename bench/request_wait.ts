/*
 * For the bench's workers run by hand (billing, messaging): how long a request of the same process would have waited
 * while a staff operation runs in it (as when the staff's page starts it): a `select 1` due every
 * 5 ms beside the work, each timed from the moment it was due, so that a wait for the database's
 * connection and an event loop held by synchronous work count alike.
 */
type Database = { rawQuery(sql: string): PromiseLike<unknown> }

export async function timedWithWaits<T>(db: Database, work: () => Promise<T>): Promise<{ result: T; seconds: number; longestWaitMs: number }> {
  let running = true
  let longest = 0
  const probe = (async () => {
    for (let due = performance.now(); ; ) {
      await db.rawQuery('select 1')
      longest = Math.max(longest, performance.now() - due)
      if (!running) return
      due = performance.now() + 5
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  })()
  const started = performance.now()
  let seconds = 0
  try {
    const result = await work()
    seconds = (performance.now() - started) / 1000
    running = false
    // Its last probe, due during the work's last stretch, measures that stretch too.
    await probe
    return { result, seconds, longestWaitMs: Math.round(longest) }
  } finally {
    running = false
    await probe
  }
}
