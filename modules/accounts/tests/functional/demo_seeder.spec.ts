import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import limiter from '@adonisjs/limiter/services/main'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import { DEMO_PASSWORD, type DemoContext } from '#core/demo'
import seedAccounts from '#modules/accounts/database/seeders/demo'
import User from '#modules/accounts/models/user'

test.group('Demo seeder', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))

  test('an administrator and an agent, active, linked to the first service, listed in the logins', async ({ assert, client }) => {
    await db.table('services').insert({ name: 'Service Enfance démo', position: 0 })
    const service = await db.from('services').where('name', 'Service Enfance démo').firstOrFail()
    const demo: DemoContext = { logins: [], state: {}, now: DateTime.utc(), enabled: () => true }
    await seedAccounts(demo)
    await seedAccounts({ ...demo, logins: [] })

    assert.deepEqual(
      demo.logins.map((login) => [login.username, login.password]),
      [
        ['admin', DEMO_PASSWORD],
        ['agent', DEMO_PASSWORD],
      ]
    )
    const admin = await User.findByOrFail('username', 'admin')
    const agent = await User.findByOrFail('username', 'agent')
    assert.equal(admin.role, 'admin')
    assert.equal(agent.role, 'staff')
    assert.equal(agent.state, 'active')
    assert.lengthOf(await db.from('user_services').where({ user_id: agent.id, service_id: service.id }), 1)

    const response = await client.post('/connexion').form({ username: 'agent', password: DEMO_PASSWORD }).withCsrfToken().redirects(0)
    response.assertHeader('location', '/gestion')
  })
})
