import { test } from '@japa/runner'
import { firstBillingDay, monthNotEnded } from '#modules/billing/services/billing_month'

/** `check` run with the clock at `instant` (Date.now, which luxon's clock reads too), then the real clock back. */
function at(instant: number, check: () => void) {
  const realNow = Date.now
  Date.now = () => instant
  try {
    check()
  } finally {
    Date.now = realNow
  }
}

test.group('a month is billed once it has ended (Europe/Paris)', () => {

  test('the first day a month can be billed is the 1st of the next one', ({ assert }) => {
    assert.equal(firstBillingDay('2026-12'), '2027-01-01')
    assert.equal(firstBillingDay('2027-02'), '2027-03-01')
    assert.equal(monthNotEnded('2026-12', '2026-12-31'), 'Le mois de décembre 2026 n’est pas terminé : ses factures pourront être émises à partir du 1er janvier 2027.')
    assert.isNull(monthNotEnded('2026-12', '2027-01-01'))
    assert.isNull(monthNotEnded('2026-11', '2026-12-31'))
  })

  test("the day is Paris's, not UTC's", ({ assert }) => {
    // 31 December, 23:30 UTC: already 1 January in Paris, December has ended.
    at(Date.UTC(2026, 11, 31, 23, 30), () => {
      assert.isNull(monthNotEnded('2026-12'))
      assert.isNotNull(monthNotEnded('2027-01'))
    })
    // 30 June, 22:30 UTC: already 1 July in Paris (summer time, UTC+2).
    at(Date.UTC(2026, 5, 30, 22, 30), () => assert.isNull(monthNotEnded('2026-06')))
    // 30 November, 22:30 UTC: still 30 November in Paris (UTC+1).
    at(Date.UTC(2026, 10, 30, 22, 30), () => assert.isNotNull(monthNotEnded('2026-11')))
  })
})
