import { test } from '@japa/runner'
import { easterSunday, publicHolidays } from '#modules/planning/services/public_holidays'
import { generateDays } from '#modules/planning/services/day_generator'

test.group('French public holidays', () => {
  test('Easter Sunday of known years', ({ assert }) => {
    assert.equal(easterSunday(2000), '2000-04-23')
    assert.equal(easterSunday(2024), '2024-03-31')
    assert.equal(easterSunday(2025), '2025-04-20')
    assert.equal(easterSunday(2026), '2026-04-05')
    assert.equal(easterSunday(2027), '2027-03-28')
    assert.equal(easterSunday(2038), '2038-04-25')
  })

  test('the eleven holidays of 2026, Easter-based ones included', ({ assert }) => {
    const days = publicHolidays(2026).map((holiday) => holiday.date)
    assert.deepEqual(days, [
      '2026-01-01',
      '2026-04-06',
      '2026-05-01',
      '2026-05-08',
      '2026-05-14',
      '2026-05-25',
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ])
    assert.lengthOf(publicHolidays(2026, { alsaceMoselle: true }), 13)
  })
})

test.group('Generating the days of an activity', () => {
  const holidays = [{ name: 'Printemps', startsOn: '2026-04-18', endsOn: '2026-05-03' }]

  test('school weeks only: weekdays kept, public holidays, closures and school holidays skipped with a reason', ({ assert }) => {
    const days = generateDays({
      startsOn: '2026-04-01',
      endsOn: '2026-05-15',
      weekdays: [1, 2, 4, 5],
      mode: 'school_weeks',
      schoolHolidays: holidays,
      closures: [{ date: '2026-04-10', reason: 'Journée pédagogique' }],
    })
    const open = days.filter((day) => !day.skippedBecause).map((day) => day.date)
    assert.notInclude(open, '2026-04-01') // a Wednesday
    assert.include(open, '2026-04-02')
    assert.notInclude(open, '2026-04-06') // Easter Monday
    assert.notInclude(open, '2026-04-10')
    assert.notInclude(open, '2026-04-20') // school holidays
    assert.notInclude(open, '2026-05-14') // Ascension
    assert.include(open, '2026-05-04')
    assert.equal(days.find((day) => day.date === '2026-04-06')!.skippedBecause, 'Jour férié : Lundi de Pâques')
    assert.equal(days.find((day) => day.date === '2026-04-10')!.skippedBecause, 'Fermeture : Journée pédagogique')
    assert.equal(days.find((day) => day.date === '2026-04-20')!.skippedBecause, 'Vacances scolaires : Printemps')
  })

  test('holidays only: the whole holiday weeks, without the public holidays', ({ assert }) => {
    const days = generateDays({
      startsOn: '2026-04-01',
      endsOn: '2026-05-15',
      weekdays: [1, 2, 3, 4, 5],
      mode: 'holidays_only',
      schoolHolidays: holidays,
      closures: [],
    })
    const open = days.filter((day) => !day.skippedBecause).map((day) => day.date)
    assert.deepEqual(open, ['2026-04-20', '2026-04-21', '2026-04-22', '2026-04-23', '2026-04-24', '2026-04-27', '2026-04-28', '2026-04-29', '2026-04-30'])
  })

  test('an inverted period gives nothing', ({ assert }) => {
    assert.deepEqual(generateDays({ startsOn: '2026-05-01', endsOn: '2026-04-01', weekdays: [1], mode: 'all', schoolHolidays: [], closures: [] }), [])
  })
})
