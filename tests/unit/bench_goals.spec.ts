import { test } from '@japa/runner'
import { MEASURED_BOUND_NOISE, boundOf, pastBound } from '../../bench/goals.js'
import { keyFigureRows, shownValue } from '../../bench/report.js'
import type { KeyFigureName } from '../../bench/types.js'

const values = (entries: [KeyFigureName, number][]) => new Map<KeyFigureName, number>(entries)

test.group('Bench: physical bounds of the key figures', () => {
  test('a fixed bound: a ratio over the password hash above 1 is a broken measurement', ({ assert }) => {
    assert.isFalse(pastBound('logins_over_hashes', 0.84))
    assert.isTrue(pastBound('logins_over_hashes', 1.96))
    assert.isFalse(pastBound('rush_month_page_p99_ms', 10_000), 'a latency has no physical bound')
  })

  test('the month page cannot exceed its ceiling measured in the same run (its own bytes, already rendered)', ({ assert }) => {
    const run = values([['month_page_ceiling_over_middleware', 0.5]])
    assert.closeTo(boundOf('month_page_over_middleware', run)!, 0.5 * MEASURED_BOUND_NOISE, 1e-9)
    assert.isFalse(pastBound('month_page_over_middleware', 0.21, run))
    assert.isFalse(pastBound('month_page_over_middleware', 0.53, run), 'within the noise of two measures')
    assert.isTrue(pastBound('month_page_over_middleware', 0.6, run))
    // Without its ceiling (a run that did not measure it), the fixed bound still applies.
    assert.equal(boundOf('month_page_over_middleware', new Map()), 1)
    assert.isTrue(pastBound('month_page_over_middleware', 1.2))
  })

  test('the table shows the measured bound and marks the figure broken', ({ assert }) => {
    const rows = keyFigureRows(
      values([
        ['month_page_over_middleware', 0.7],
        ['month_page_ceiling_over_middleware', 0.5],
      ])
    )
    const month = rows.find((row) => row.figure === 'month_page_over_middleware')!
    assert.isTrue(month.broken)
    assert.closeTo(month.bound!, 0.55, 1e-9)
    const ceiling = rows.find((row) => row.figure === 'month_page_ceiling_over_middleware')!
    assert.isFalse(ceiling.broken)
    assert.isTrue(ceiling.ok, 'the ceiling is information: no goal to miss')
  })

  test('a value that rounds to its goal is shown with the digits that tell them apart', ({ assert }) => {
    assert.equal(shownValue('rush_journeys_over_hashes', 0.6952), '0.695', 'just under ≥ 0.70: not « 0.70 »')
    assert.equal(shownValue('rush_journeys_over_hashes', 0.7031), '0.703')
    assert.equal(shownValue('rush_journeys_over_hashes', 0.7), '0.70', 'exactly the goal')
    assert.equal(shownValue('rush_journeys_over_hashes', 0.68), '0.68', 'already apart: the usual digits')
    assert.equal(shownValue('rush_month_page_p99_ms', 200.4), '200.4', 'a latency just over ≤ 200')
    assert.equal(shownValue('middleware_over_bare', 0.35), '0.350')
  })
})
