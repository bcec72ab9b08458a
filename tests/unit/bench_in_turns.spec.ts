import { test } from '@japa/runner'
import { measureInTurns, pooledFigures, type Slice } from '../../bench/in_turns.js'
import type { MeasureOptions } from '../../bench/types.js'

const slice = (requests: number, seconds: number, p99 = 5, latencyAverage = 1): Slice => ({ requests, seconds, p99, latencyAverage, non2xx: 0, errors: 0 })

test.group('Bench: measures divided by one another, taken in turns', () => {
  test('each measure is warmed up once, then the measures run in turns, the same time each', async ({ assert }) => {
    const calls: string[] = []
    const measures: MeasureOptions[] = [
      { name: 'page', path: '/page' },
      { name: 'bare', path: '/bare' },
    ]
    const figures = await measureInTurns(
      measures,
      async (options, seconds) => {
        calls.push(`${options.name}:${seconds}`)
        return slice(100 * seconds, seconds)
      },
      { duration: 6, warmup: 2, turns: 3 }
    )
    assert.deepEqual(calls, ['page:2', 'bare:2', 'page:2', 'bare:2', 'page:2', 'bare:2', 'page:2', 'bare:2'])
    assert.deepEqual(
      figures.map((row) => row.name),
      ['page', 'bare']
    )
    // The warm-up is not counted: 3 slices of 2 s, 200 requests each.
    assert.equal(figures[0].requests, 600)
    assert.equal(figures[0].requestsPerSecond, 100)
  })

  test('a figure pools its slices: all its requests over all its seconds, the worst p99, errors added up', ({ assert }) => {
    const row = pooledFigures({ name: 'bare', path: '/bare', note: 'route nue' }, [
      slice(4000, 1, 4, 2),
      { ...slice(2000, 1, 9, 4), non2xx: 1 },
      { ...slice(4000, 1, 5, 2), errors: 2 },
    ])
    assert.closeTo(row.requestsPerSecond, 10000 / 3, 1e-9)
    assert.equal(row.p99, 9)
    assert.closeTo(row.average, (4000 * 2 + 2000 * 4 + 4000 * 2) / 10000, 1e-9)
    assert.equal(row.non2xx, 1)
    assert.equal(row.errors, 2)
    assert.isTrue(row.http)
    assert.equal(row.note, 'route nue ; 3 tranches alternées avec les mesures comparées : 4000 / 2000 / 4000 req/s')
  })

  test('a slow minute slows each measure of the same turn: the ratio keeps its value', async ({ assert }) => {
    // The machine runs at half speed during the second turn; the page costs 4 times the bare route.
    let call = 0
    const figures = await measureInTurns(
      [
        { name: 'page', path: '/page' },
        { name: 'bare', path: '/bare' },
      ],
      async (options, seconds) => {
        const index = call++
        const speed = index === 2 || index === 3 ? 0.5 : 1
        return slice((options.name === 'page' ? 1000 : 4000) * speed * seconds, seconds)
      },
      { duration: 3, warmup: 0, turns: 3 }
    )
    assert.closeTo(figures[0].requestsPerSecond / figures[1].requestsPerSecond, 0.25, 1e-9)
  })
})
