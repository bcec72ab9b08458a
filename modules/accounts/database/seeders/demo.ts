import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { DEMO_PASSWORD, type DemoContext } from '#core/demo'
import User from '#modules/accounts/models/user'
import { CGU_VERSION } from '#modules/accounts/services/cgu'

/** An administrator and an agent of the first service, both active with the demo password. */
export default async function seedAccounts(demo: DemoContext) {
  const firstService = await db.from('services').orderBy('position').orderBy('id').first()
  const people = [
    { username: 'admin', fullName: 'Claire Administratrice', email: 'admin@demo.portail-famille.fr', role: 'admin' as const, note: 'tout /gestion, comptes des agents' },
    { username: 'agent', fullName: 'Marc Agent', email: 'agent@demo.portail-famille.fr', role: 'staff' as const, note: firstService ? `agent du service ${firstService.name}` : 'agent' },
  ]
  const now = demo.now.toUTC()
  for (const person of people) {
    let user = await User.findBy('username', person.username)
    user ??= new User()
    user.merge({
      username: person.username,
      fullName: person.fullName,
      email: person.email,
      role: person.role,
      state: 'active',
      password: DEMO_PASSWORD,
      cguVersion: CGU_VERSION,
      cguAcceptedAt: now,
      activatedAt: now ?? DateTime.utc(),
    })
    await user.save()
    if (firstService) {
      await db.from('user_services').where({ user_id: user.id, service_id: firstService.id }).delete()
      await db.table('user_services').insert({ user_id: user.id, service_id: firstService.id })
    }
    demo.logins.push({ role: person.role === 'admin' ? 'administrateur' : 'agent', username: person.username, password: DEMO_PASSWORD, note: person.note })
    demo.state.staff ??= {}
    demo.state.staff[person.username] = user.id
  }
}
