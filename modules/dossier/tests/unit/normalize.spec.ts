import { test } from '@japa/runner'
import fc from 'fast-check'
import { DateTime } from 'luxon'
import { ageOn, normalizeCivility, normalizePhone, parseDay, religiousDietLabel, splitList } from '#modules/dossier/services/normalize'

test.group('Dossier: field checks', () => {
  test('days: JJ/MM/AAAA and AAAA-MM-JJ, real days only', ({ assert }) => {
    assert.equal(parseDay('14/03/2016'), '2016-03-14')
    assert.equal(parseDay('4/3/2016'), '2016-03-04')
    assert.equal(parseDay('2019-09-02'), '2019-09-02')
    assert.equal(parseDay('29/02/2016'), '2016-02-29')
    for (const bad of ['29/02/2019', '31/04/2018', '31/02/2018', '00/01/2018', '2018-13-01', '2018-1-1', 'hier', '', '14-03-2016']) {
      assert.isNull(parseDay(bad), bad)
    }
  })

  test('property: parseDay agrees with luxon on every day', ({ assert }) => {
    fc.assert(
      fc.property(fc.integer({ min: 1950, max: 2040 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (year, month, day) => {
        const luxon = DateTime.fromObject({ year, month, day })
        const text = `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`
        assert.equal(parseDay(text), luxon.isValid ? luxon.toISODate() : null)
      })
    )
  })

  test('age in whole years, birthdays and 29 February included', ({ assert }) => {
    assert.equal(ageOn('2008-09-01', '2026-09-01'), 18)
    assert.equal(ageOn('2008-09-02', '2026-09-01'), 17)
    assert.equal(ageOn('2016-02-29', '2026-02-28'), 9)
    assert.equal(ageOn('2016-02-29', '2026-03-01'), 10)
  })

  test('phones, civilities, lists; diet needs never a religion', ({ assert }) => {
    assert.equal(normalizePhone('06.12.34.56.78'), '06 12 34 56 78')
    assert.equal(normalizePhone('+33 6 12 34 56 78'), '+33612345678')
    assert.isNull(normalizePhone('12'))
    assert.equal(normalizeCivility('Madame'), 'Mme')
    assert.equal(normalizeCivility('m.'), 'M.')
    assert.isNull(normalizeCivility(''))
    assert.isUndefined(normalizeCivility('Dr'))
    assert.deepEqual(splitList('sans porc, sans gluten ;  sans arachide'), ['sans porc', 'sans gluten', 'sans arachide'])
    assert.equal(religiousDietLabel(['sans gluten', 'repas halal']), 'repas halal')
    assert.isNull(religiousDietLabel(['sans porc', 'sans viande']))
  })
})
