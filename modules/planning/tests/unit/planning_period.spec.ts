import { test } from '@japa/runner'
import { periodOf, periodTitle, weekdayOf } from '#modules/planning/services/planning_period'
import { isCalendarDay, parisDayOf } from '#core/calendar_day'

test.group('Planning periods (calendar arithmetic on YYYY-MM-DD days)', () => {
  test('a month: its first and last day, the months before and after (across a year)', ({ assert }) => {
    assert.deepEqual(periodOf('mois', '2026-12-15'), { start: '2026-12-01', end: '2026-12-31', previous: '2026-11-01', next: '2027-01-01' })
    assert.deepEqual(periodOf('recapitulatif', '2027-01-31'), { start: '2027-01-01', end: '2027-01-31', previous: '2026-12-01', next: '2027-02-01' })
    assert.equal(periodOf('mois', '2028-02-10').end, '2028-02-29')
    assert.equal(periodOf('mois', '2027-02-10').end, '2027-02-28')
  })

  test('a week and a fortnight start on Monday, across months and years', ({ assert }) => {
    assert.deepEqual(periodOf('semaine', '2027-01-01'), { start: '2026-12-28', end: '2027-01-03', previous: '2026-12-21', next: '2027-01-04' })
    assert.deepEqual(periodOf('semaine', '2026-09-07'), { start: '2026-09-07', end: '2026-09-13', previous: '2026-08-31', next: '2026-09-14' })
    assert.deepEqual(periodOf('quinzaine', '2026-11-01'), { start: '2026-10-26', end: '2026-11-08', previous: '2026-10-12', next: '2026-11-09' })
    // the change to winter time (25 October 2026) changes nothing to the days
    assert.deepEqual(periodOf('semaine', '2026-10-25'), { start: '2026-10-19', end: '2026-10-25', previous: '2026-10-12', next: '2026-10-26' })
  })

  test('a date that is not a day falls back to today in France', ({ assert }) => {
    assert.equal(periodOf('mois', '2026-02-30').start, periodOf('mois', parisDayOf()).start)
    assert.equal(periodOf('semaine', 'demain').start, periodOf('semaine', parisDayOf()).start)
  })

  test("today in France: the day at Paris's midnight (winter and summer time), the same for a date, a number, and a repeated minute", ({ assert }) => {
    // 23:59:59 then 00:00:00 in Paris, in winter (UTC+1) and in summer (UTC+2)
    assert.equal(parisDayOf(Date.UTC(2026, 11, 31, 22, 59, 59)), '2026-12-31')
    assert.equal(parisDayOf(Date.UTC(2026, 11, 31, 23, 0, 0)), '2027-01-01')
    assert.equal(parisDayOf(Date.UTC(2026, 11, 31, 23, 0, 30)), '2027-01-01')
    assert.equal(parisDayOf(new Date(Date.UTC(2027, 6, 14, 21, 59, 59))), '2027-07-14')
    assert.equal(parisDayOf(new Date(Date.UTC(2027, 6, 14, 22, 0, 0))), '2027-07-15')
    assert.equal(parisDayOf(Date.UTC(2027, 6, 14, 21, 59, 0)), '2027-07-14')
    // the day of the last minute asked for is kept, never given for another minute
    const instants = [Date.UTC(2026, 2, 29, 0, 59, 59), Date.UTC(2026, 2, 29, 1, 0, 0), Date.UTC(2026, 9, 24, 22, 0, 0), Date.UTC(2026, 9, 24, 21, 59, 0)]
    const formatter = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' })
    for (const instant of [...instants, ...instants.reverse()]) assert.equal(parisDayOf(instant), formatter.format(instant))
    assert.throws(() => parisDayOf(new Date('pas une date')))
  })

  test('titles: the month in French, or the two dates', ({ assert }) => {
    assert.equal(periodTitle('mois', '2026-09-01', '2026-09-30'), 'Septembre 2026')
    assert.equal(periodTitle('recapitulatif', '2027-08-01', '2027-08-31'), 'Août 2027')
    assert.equal(periodTitle('semaine', '2026-09-07', '2026-09-13'), 'du 07/09/2026 au 13/09/2026')
  })

  test('weekdays and calendar days', ({ assert }) => {
    assert.deepEqual(['2026-12-07', '2026-12-12', '2026-12-13'].map(weekdayOf), [1, 6, 7])
    assert.isTrue(isCalendarDay('2028-02-29'))
    for (const wrong of ['2027-02-29', '2026-13-01', '2026-04-31', '1899-12-31', '2200-01-01', '2026-1-01', 20260101]) assert.isFalse(isCalendarDay(wrong), String(wrong))
  })

  test('today in France: the day changes at midnight in Paris, not in UTC', ({ assert }) => {
    assert.equal(parisDayOf(Date.parse('2026-12-31T22:59:59Z')), '2026-12-31')
    assert.equal(parisDayOf(Date.parse('2026-12-31T23:00:00Z')), '2027-01-01')
    assert.equal(parisDayOf(Date.parse('2026-07-14T21:59:59Z')), '2026-07-14')
    assert.equal(parisDayOf(Date.parse('2026-07-14T22:00:00Z')), '2026-07-15')
  })
})
