import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import accountService from '#modules/accounts/services/account_service'
import { makeUser } from '#modules/accounts/tests/helpers'
import { queriesDuring } from '#tests/helpers/query_log'

// The family import's account look-ups, over more names than any chunk the import ever used (5,000).
test.group('accounts: look-ups and pending accounts by batch', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('takenUsernames and accountsByEmail answer for 6,000 values in one query each', async ({ assert }) => {
    const held = await makeUser({ username: 'batch-held', email: 'Batch.Held@Exemple.fr' })
    const names = Array.from({ length: 6000 }, (_, i) => `batch-free-${i}`).concat('batch-held')
    const emails = Array.from({ length: 6000 }, (_, i) => `libre-${i}@exemple.fr`).concat(' batch.held@exemple.fr ')
    let taken = new Set<string>()
    let found = new Map<string, unknown>()
    const statements = await queriesDuring(async () => {
      taken = await accountService.takenUsernames(names)
      found = await accountService.accountsByEmail(emails)
    })
    assert.lengthOf(statements, 2, statements.join('\n'))
    assert.deepEqual([...taken], ['batch-held'])
    assert.deepEqual([...found.entries()], [['batch.held@exemple.fr', { id: held.id, role: 'parent' }]])
    assert.equal((await accountService.takenUsernames([])).size, 0)
    assert.equal((await accountService.accountsByEmail([])).size, 0)
  })

  test('createPendingAccounts refuses a taken username or email and writes nothing', async ({ assert }) => {
    await makeUser({ username: 'batch-taken', email: 'pris@exemple.fr' })
    const others = Array.from({ length: 5500 }, (_, i) => ({ username: `batch-new-${i}`, email: `nouveau-${i}@exemple.fr`, fullName: `Parent ${i}`, role: 'parent' as const }))
    const count = async () => Number((await db.from('users').where('username', 'like', 'batch-new-%').count('* as total'))[0].total)

    await assert.rejects(
      () => accountService.createPendingAccounts([...others, { username: 'batch-taken', email: 'autre@exemple.fr', fullName: 'X', role: 'parent' }]),
      "Le nom d'utilisateur « batch-taken » est déjà pris."
    )
    await assert.rejects(
      () => accountService.createPendingAccounts([...others, { username: 'batch-other', email: 'pris@exemple.fr', fullName: 'X', role: 'parent' }]),
      "L'adresse pris@exemple.fr est déjà celle d'un autre compte."
    )
    assert.equal(await count(), 0)

    const created = await accountService.createPendingAccounts(others.slice(0, 3))
    assert.lengthOf(created, 3)
    assert.equal(await count(), 3)
  })
})
