import { test } from '@japa/runner'
import { ageWindow, entryWindow, fitsOn, registrationOpen } from '#modules/inscriptions/services/eligibility'
import { DateTime } from 'luxon'

const threeToSix = {
  startsOn: '2026-09-01',
  endsOn: '2027-07-06',
  minAgeMonths: 36,
  maxAgeMonths: 71,
  schoolLevels: null,
}

test.group('inscriptions / eligibility', () => {
  test('a child turning 3 mid-period fits from the birthday on, not before', ({ assert }) => {
    const child = { birthDate: '2024-01-15', classLevel: null }
    assert.deepEqual(ageWindow(threeToSix, child), {
      from: '2027-01-15',
      to: '2030-01-14',
    })
    assert.isFalse(fitsOn(threeToSix, child, '2027-01-14'))
    assert.isTrue(fitsOn(threeToSix, child, '2027-01-15'))
    assert.deepEqual(entryWindow(threeToSix, child, '2026-11-26'), {
      from: '2027-01-15',
      to: '2027-07-06',
    })
  })

  test('a child too young for the whole period, or too old, has no entry window', ({ assert }) => {
    assert.isNull(entryWindow(threeToSix, { birthDate: '2025-02-01', classLevel: null }, '2026-11-26'))
    assert.isNull(entryWindow(threeToSix, { birthDate: '2019-01-01', classLevel: null }, '2026-11-26'))
    // turns 6 (72 months) on 2027-03-01: may enter until the day before
    assert.deepEqual(entryWindow(threeToSix, { birthDate: '2021-03-01', classLevel: null }, '2026-11-26'), {
      from: '2026-11-26',
      to: '2027-02-28',
    })
  })

  test('a past activity has no entry window; a future one starts on its first day', ({ assert }) => {
    const past = {
      ...threeToSix,
      startsOn: '2025-09-01',
      endsOn: '2026-07-04',
    }
    assert.isNull(entryWindow(past, { birthDate: '2021-01-01', classLevel: null }, '2026-11-26'))
    const summer = {
      ...threeToSix,
      startsOn: '2027-07-07',
      endsOn: '2027-08-28',
    }
    assert.deepEqual(entryWindow(summer, { birthDate: '2022-01-01', classLevel: null }, '2026-11-26'), { from: '2027-07-07', to: '2027-08-28' })
  })

  test('school levels admit a child of a listed class whatever the age, accents and case aside', ({ assert }) => {
    const canteen = {
      startsOn: '2026-09-01',
      endsOn: '2027-07-06',
      minAgeMonths: null,
      maxAgeMonths: null,
      schoolLevels: ['PS', 'MS', 'GS', 'CP'],
    }
    assert.isTrue(fitsOn(canteen, { birthDate: '2021-01-01', classLevel: 'cp' }, '2026-12-01'))
    assert.isFalse(fitsOn(canteen, { birthDate: '2021-01-01', classLevel: 'CM2' }, '2026-12-01'))
    assert.isFalse(fitsOn(canteen, { birthDate: '2021-01-01', classLevel: null }, '2026-12-01'))
    const both = { ...canteen, minAgeMonths: 36, maxAgeMonths: 47 }
    assert.isTrue(fitsOn(both, { birthDate: '2023-06-01', classLevel: null }, '2026-12-01'))
  })

  test('the registration window is open between its two instants', ({ assert }) => {
    const now = DateTime.fromISO('2026-11-26T10:00:00Z')
    assert.isTrue(registrationOpen({ registrationOpensAt: null, registrationClosesAt: null }, now))
    assert.isFalse(
      registrationOpen(
        {
          registrationOpensAt: now.plus({ days: 1 }),
          registrationClosesAt: null,
        },
        now
      )
    )
    assert.isFalse(
      registrationOpen(
        {
          registrationOpensAt: null,
          registrationClosesAt: now.minus({ minutes: 1 }),
        },
        now
      )
    )
    assert.isTrue(
      registrationOpen(
        {
          registrationOpensAt: now.minus({ days: 1 }),
          registrationClosesAt: now.plus({ days: 1 }),
        },
        now
      )
    )
  })
})
