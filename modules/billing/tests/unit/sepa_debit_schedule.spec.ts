import { test } from '@japa/runner'
import { debitDateFor } from '#modules/billing/services/sepa/debit_schedule'

test.group('SEPA debit day', () => {
  test('the debit day of the first month at least 14 days after the issue', ({ assert }) => {
    assert.equal(debitDateFor('2026-10-02', 10), '2026-11-10')
    assert.equal(debitDateFor('2026-10-27', 10), '2026-11-10')
    assert.equal(debitDateFor('2026-10-28', 10), '2026-12-10')
    assert.equal(debitDateFor('2026-10-01', 20), '2026-10-20', 'the same month when 19 days remain')
    assert.equal(debitDateFor('2026-10-07', 21), '2026-10-21', 'exactly 14 days is enough')
    assert.equal(debitDateFor('2026-12-20', 5), '2027-01-05', 'over the year end')
    assert.equal(debitDateFor('2027-01-31', 28), '2027-02-28')
  })
})
