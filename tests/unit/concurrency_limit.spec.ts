import { test } from '@japa/runner'
import { ConcurrencyLimit } from '#core/concurrency_limit'

test.group('ConcurrencyLimit', () => {
  test('never runs more than its limit at once, runs every task in arrival order, survives a failure', async ({ assert }) => {
    const limit = new ConcurrencyLimit(3)
    let running = 0
    let peak = 0
    const started: number[] = []
    const tasks = Array.from({ length: 12 }, (_, index) =>
      limit.run(async () => {
        started.push(index)
        running++
        peak = Math.max(peak, running)
        await new Promise((resolve) => setTimeout(resolve, 2))
        running--
        if (index === 4) throw new Error('échec de la tâche 4')
        return index
      })
    )
    const results = await Promise.allSettled(tasks)
    assert.equal(peak, 3)
    assert.deepEqual(started, [...Array(12).keys()])
    assert.equal(results.filter((result) => result.status === 'rejected').length, 1)
    assert.equal(await limit.run(async () => 'encore'), 'encore')
  })
})

test.group('ConcurrencyLimit: the wait of a task started now', () => {
  /** Tasks whose end the test decides, on a clock the test moves. */
  function controlled(limit: number) {
    let now = 0
    const queue = new ConcurrencyLimit(limit, () => now)
    const ends: (() => void)[] = []
    const start = () => queue.run(() => new Promise<void>((resolve) => ends.push(resolve)))
    const tick = () => new Promise((resolve) => setImmediate(resolve))
    return { queue, start, ends, tick, advance: (ms: number) => (now += ms) }
  }

  test('no wait while a place is free, then the tasks ahead, `limit` at a time, each the average time', async ({ assert }) => {
    const { queue, start, ends, tick, advance } = controlled(2)
    assert.equal(queue.expectedWaitMs(), 0)
    const first = [start(), start()]
    await tick()
    advance(100)
    ends.splice(0).forEach((end) => end())
    await Promise.all(first)
    // Both held their place 100 ms.
    const running = [start(), start()]
    await tick()
    assert.equal(queue.waiting, 0)
    assert.equal(queue.expectedWaitMs(), 50)
    const queued = [start(), start(), start()]
    await tick()
    assert.equal(queue.waiting, 3)
    assert.equal(queue.expectedWaitMs(), 200)
    advance(200)
    ends.splice(0).forEach((end) => end())
    await Promise.all(running)
    // Two tasks of 200 ms moved the average from 100 by a tenth of the gap each: 110, then 119.
    await tick()
    assert.equal(queue.waiting, 1)
    assert.closeTo(queue.expectedWaitMs(), 119, 1e-9)
    ends.splice(0).forEach((end) => end())
    await tick()
    ends.splice(0).forEach((end) => end())
    await Promise.all(queued)
    assert.equal(queue.expectedWaitMs(), 0)
  })
})
