import { test } from '@japa/runner'
import { ageGroupOn } from '#modules/planning/models/activity_day'

/** The age in whole years on a day, counted field by field: the rule written the long way. */
function ageOn(birthDate: string, isoDay: string) {
  const [by, bm, bd] = birthDate.split('-').map(Number)
  const [y, m, d] = isoDay.split('-').map(Number)
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0)
}

const isoOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

test.group('Planning: age groups', () => {
  test('6 and over from the sixth birthday, the day itself included', ({ assert }) => {
    assert.equal(ageGroupOn('2020-09-14', '2026-09-13'), 'under6')
    assert.equal(ageGroupOn('2020-09-14', '2026-09-14'), 'over6')
    assert.equal(ageGroupOn('2020-09-14', '2019-01-01'), 'under6', 'before birth')
  })

  test('born on 29 February: 6 on 1 March, six years later being a common year', ({ assert }) => {
    assert.equal(ageGroupOn('2020-02-29', '2026-02-28'), 'under6')
    assert.equal(ageGroupOn('2020-02-29', '2026-03-01'), 'over6')
    assert.equal(ageGroupOn('2016-02-29', '2022-02-28'), 'under6')
    assert.equal(ageGroupOn('2016-02-29', '2022-03-01'), 'over6')
    assert.equal(ageGroupOn('2018-02-28', '2024-02-28'), 'over6')
    assert.equal(ageGroupOn('2018-03-01', '2024-02-29'), 'under6')
  })

  test('the same answer as the age counted field by field, for every day around every birthday of 4 years', ({ assert }) => {
    const day = 86_400_000
    let checked = 0
    for (let birth = Date.UTC(2018, 0, 1); birth < Date.UTC(2022, 0, 1); birth += day) {
      const birthDate = isoOf(birth)
      const sixth = Date.UTC(new Date(birth).getUTCFullYear() + 6, new Date(birth).getUTCMonth(), 1)
      for (let on = sixth - 40 * day; on < sixth + 40 * day; on += day) {
        const isoDay = isoOf(on)
        assert.equal(ageGroupOn(birthDate, isoDay), ageOn(birthDate, isoDay) < 6 ? 'under6' : 'over6', `${birthDate} le ${isoDay}`)
        checked++
      }
    }
    assert.isAbove(checked, 100_000)
  })
})
