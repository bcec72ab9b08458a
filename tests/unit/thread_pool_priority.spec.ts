import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import { lowerThreadPoolPriority, poolThreads } from '#core/thread_pool_priority'

const MS = 1_000_000

/** The nice value of one thread of this process (field 19 of its stat line). */
function niceOf(tid: number) {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
}

test.group('Thread pool priority: which threads are the pool', () => {
  test('the threads that each did the probe are the pool, the main thread never', ({ assert }) => {
    const before = new Map([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 0],
      [5, 0],
      [6, 0],
    ])
    const after = new Map([
      [1, 90 * MS], // main thread, busy too: never a pool thread
      [2, 1 * MS],
      [3, 21 * MS],
      [4, 19 * MS],
      [5, 20 * MS],
      [6, 22 * MS],
    ])
    assert.deepEqual(poolThreads(before, after, 4, 1)?.sort(), [3, 4, 5, 6])
  })

  test('unclear answers give nothing: a thread that took two pieces, a busy neighbour, too few threads', ({ assert }) => {
    const before = new Map([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 0],
    ])
    // thread 2 ran two probes, thread 4 none: 3 threads for a pool of 3 is not what happened
    assert.isNull(poolThreads(before, new Map([[1, 0], [2, 40 * MS], [3, 20 * MS], [4, 0]]), 3, 1))
    // a fourth thread as busy as the pool's: which three are the pool is not known
    assert.isNull(poolThreads(before, new Map([[1, 0], [2, 20 * MS], [3, 20 * MS], [4, 19 * MS]]), 2, 1))
    assert.isNull(poolThreads(before, new Map([[1, 0], [2, 20 * MS]]), 2, 1))
  })

  test('on Linux, the pool of this process is found and only its threads run at a lower priority', async ({ assert }) => {
    const size = Number(process.env.UV_THREADPOOL_SIZE) || 4
    const threads = await lowerThreadPoolPriority(7)
    assert.lengthOf(threads, size)
    assert.notInclude(threads, process.pid)
    for (const tid of threads) assert.equal(niceOf(tid), 7)
    assert.equal(niceOf(process.pid), 0)
  }).skip(process.platform !== 'linux', 'Linux only')
})
