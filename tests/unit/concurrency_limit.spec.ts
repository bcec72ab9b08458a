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
