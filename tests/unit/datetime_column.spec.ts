import { test } from '@japa/runner'
import { DateTime, Settings } from 'luxon'
import { consumeDateTime, utcMillisOfSqlText } from '#core/datetime_column'
import User from '#modules/accounts/models/user'
import db from '@adonisjs/lucid/services/db'

const row = new User()

/** What Lucid's own consume gives for the same database value. */
function lucidConsume(value: string) {
  return DateTime.fromSQL(value)
}

test.group('Datetime columns', (group) => {
  let zone: typeof Settings.defaultZone
  group.each.setup(() => {
    zone = Settings.defaultZone
    return () => {
      Settings.defaultZone = zone
    }
  })

  test('reads the texts SQLite hands back as the same DateTime as luxon, in UTC', ({ assert }) => {
    Settings.defaultZone = 'UTC'
    for (const text of ['2026-12-03 10:11:12', '2024-02-29 23:59:59', '1999-12-31 00:00:00', '2026-03-29 02:30:00', '2026-12-03 10:11:12.5', '2026-12-03 10:11:12.123']) {
      const fast = consumeDateTime(text, 'lastLoginAt', row) as DateTime
      const slow = lucidConsume(text)
      assert.isTrue(fast.isValid, text)
      assert.equal(fast.toMillis(), slow.toMillis(), text)
      assert.equal(fast.zoneName, slow.zoneName, text)
      assert.equal(fast.toISO(), slow.toISO(), text)
    }
  })

  test('leaves to luxon what is not exactly a wall time: offsets, impossible days, other zones', ({ assert }) => {
    Settings.defaultZone = 'UTC'
    assert.isNull(utcMillisOfSqlText('2025-02-30 10:00:00'))
    assert.isNull(utcMillisOfSqlText('2026-12-03 24:00:00'))
    assert.isNull(utcMillisOfSqlText('2026-12-03 10:00:00 +01:00'))
    assert.isNull(utcMillisOfSqlText('2026-12-03'))
    for (const text of ['2025-02-30 10:00:00', '2026-12-03 10:00:00 +01:00', '2026-12-03', '2026-12-03T10:11:12']) {
      const fast = consumeDateTime(text, 'lastLoginAt', row) as DateTime
      const slow = lucidConsume(text)
      assert.equal(fast.isValid, slow.isValid, text)
      if (slow.isValid) assert.equal(fast.toMillis(), slow.toMillis(), text)
    }
    // A server in Paris: the wall time is Paris time, as luxon reads it.
    Settings.defaultZone = 'Europe/Paris'
    const paris = consumeDateTime('2026-07-01 12:00:00', 'lastLoginAt', row) as DateTime
    assert.equal(paris.toISO(), '2026-07-01T12:00:00.000+02:00')
  })

  test('passes null through, reads a Date as luxon does, refuses anything else', ({ assert }) => {
    assert.isNull(consumeDateTime(null, 'lastLoginAt', row))
    const date = new Date(Date.UTC(2026, 11, 3, 10, 0, 0))
    assert.equal((consumeDateTime(date, 'lastLoginAt', row) as DateTime).toMillis(), date.getTime())
    assert.throws(() => consumeDateTime(42, 'lastLoginAt', row), /User.lastLoginAt/)
  })

  test('a saved and re-read DateTime is the same instant, on this database', async ({ assert }) => {
    const user = await User.create({
      username: `horodatage-${Date.now()}`,
      email: `horodatage-${Date.now()}@exemple.fr`,
      fullName: 'Horodatage',
      role: 'parent',
      state: 'pending',
    })
    try {
      const at = DateTime.utc(2026, 12, 3, 9, 8, 7)
      user.lastLoginAt = at
      await user.save()
      const again = await User.findOrFail(user.id)
      assert.equal(again.lastLoginAt!.toMillis(), at.toMillis())
      assert.isTrue(again.createdAt.isValid)
    } finally {
      await db.from('users').where('id', user.id).delete()
    }
  })
})
