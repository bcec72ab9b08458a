import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import communeSettings, { DEFAULT_SETTINGS } from '#services/commune_settings'

/*
 * Each test's writes are rolled back, but the commune's identity stays cached in memory for a
 * few seconds (app/services/commune_settings.ts). tests/bootstrap.ts forgets it before each test:
 * without that, a test run just after one that renamed the commune saw the rolled-back name
 * (CI of 2026-12-04: an activation mail named another commune).
 */
test.group('Test isolation: the cached commune settings', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a test renames the commune and reads its new name', async ({ assert }) => {
    await communeSettings.update({ name: 'Levens' })
    assert.equal((await communeSettings.get()).name, 'Levens')
  })

  test('the next test reads the name of its own database, not the rolled-back one', async ({ assert }) => {
    assert.equal((await communeSettings.get()).name, DEFAULT_SETTINGS.name)
  })
})
