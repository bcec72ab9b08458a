import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import {
  deadlineOf,
  describeDeadline,
  isBeforeDeadline,
  parseDeadline,
  validateDeadline,
  DEFAULT_DEADLINE,
  type DeadlineRule,
} from '#modules/planning/services/deadline_rules'

const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' })
const paris = (rule: DeadlineRule, day: string) => deadlineOf(rule, day).setZone('Europe/Paris').toFormat('yyyy-MM-dd HH:mm ZZ')

// Summer time starts on Sunday 29 March 2026 at 02:00 (CET → CEST) and ends on Sunday 25 October 2026 at 03:00.
test.group('Deadline rules (Europe/Paris, across the DST change)', () => {
  test('J-2 weekend not counted: a Monday closes on the Thursday before, a Wednesday on the Monday', ({ assert }) => {
    const rule: DeadlineRule = { kind: 'days_before', days: 2, time: '12:00', skipWeekends: true }
    assert.equal(paris(rule, '2026-03-30'), '2026-03-26 12:00 +01:00')
    assert.equal(deadlineOf(rule, '2026-03-30').toISO(), '2026-03-26T11:00:00.000Z')
    assert.equal(paris(rule, '2026-03-31'), '2026-03-27 12:00 +01:00')
    // after the change the same wall time is one hour earlier in UTC
    assert.equal(deadlineOf(rule, '2026-04-01').toISO(), '2026-03-30T10:00:00.000Z')
  })

  test('J-1 at 18:00 counting the weekend lands on the Sunday of the change, in summer time', ({ assert }) => {
    const rule: DeadlineRule = { kind: 'days_before', days: 1, time: '18:00', skipWeekends: false }
    assert.equal(deadlineOf(rule, '2026-03-30').toISO(), '2026-03-29T16:00:00.000Z')
    assert.equal(deadlineOf(rule, '2026-03-29').toISO(), '2026-03-28T17:00:00.000Z')
  })

  test('N hours before counts real hours, so the wall time moves by one hour across the change', ({ assert }) => {
    const rule: DeadlineRule = { kind: 'hours_before', hours: 72, dayStart: '08:00' }
    // Monday 30 March 08:00 CEST = 06:00Z; 72 h earlier is Friday 27 March 06:00Z = 07:00 CET
    assert.equal(paris(rule, '2026-03-30'), '2026-03-27 07:00 +01:00')
    const autumn: DeadlineRule = { kind: 'hours_before', hours: 48, dayStart: '07:30' }
    // Monday 26 October 07:30 CET = 06:30Z; 48 h earlier is Saturday 24 October 06:30Z = 08:30 CEST
    assert.equal(paris(autumn, '2026-10-26'), '2026-10-24 08:30 +02:00')
  })

  test('a fixed weekday cutoff closes the whole next week at once', ({ assert }) => {
    const rule: DeadlineRule = { kind: 'weekly_cutoff', weekday: 4, time: '12:00' }
    for (const day of ['2026-03-30', '2026-04-01', '2026-04-05']) {
      assert.equal(paris(rule, day), '2026-03-26 12:00 +01:00', day)
    }
    assert.equal(paris(rule, '2026-04-06'), '2026-04-02 12:00 +02:00')
  })

  test('none: open until the day starts at midnight in Paris', ({ assert }) => {
    assert.equal(deadlineOf({ kind: 'none' }, '2026-07-14').toISO(), '2026-07-13T22:00:00.000Z')
    assert.equal(deadlineOf({ kind: 'none' }, '2026-01-14').toISO(), '2026-01-13T23:00:00.000Z')
  })

  test('with a fixed clock, the deadline is exclusive to the second', ({ assert }) => {
    const rule: DeadlineRule = { kind: 'days_before', days: 2, time: '12:00', skipWeekends: true }
    assert.isTrue(isBeforeDeadline(rule, '2026-03-30', utc('2026-03-26T10:59:59Z')))
    assert.isFalse(isBeforeDeadline(rule, '2026-03-30', utc('2026-03-26T11:00:00Z')))
    const summer: DeadlineRule = { kind: 'hours_before', hours: 72, dayStart: '08:00' }
    assert.isTrue(isBeforeDeadline(summer, '2026-03-30', utc('2026-03-27T05:59:00Z')))
    assert.isFalse(isBeforeDeadline(summer, '2026-03-30', utc('2026-03-27T06:00:00Z')))
  })

  test('stored rules are checked; anything odd falls back to the default', ({ assert }) => {
    assert.deepEqual(parseDeadline('{"kind":"hours_before","hours":72,"dayStart":"07:30"}'), {
      kind: 'hours_before',
      hours: 72,
      dayStart: '07:30',
    })
    assert.deepEqual(parseDeadline('{"kind":"weekly_cutoff","weekday":9,"time":"12:00"}'), DEFAULT_DEADLINE)
    assert.deepEqual(parseDeadline('not json'), DEFAULT_DEADLINE)
    assert.isNull(validateDeadline({ kind: 'days_before', days: 2, time: '25:00' }))
    assert.isNull(validateDeadline({ kind: 'days_before', days: -1, time: '12:00' }))
  })

  test('the rule is said in French', ({ assert }) => {
    assert.equal(describeDeadline({ kind: 'days_before', days: 2, time: '12:00', skipWeekends: true }), '2 jours ouvrés avant, à 12h00 (week-end non compté)')
    assert.equal(describeDeadline({ kind: 'weekly_cutoff', weekday: 4, time: '12:00' }), 'le jeudi à 12h00 pour la semaine suivante')
  })
})
