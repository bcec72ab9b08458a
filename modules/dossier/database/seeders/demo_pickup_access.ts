import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { User, CGU_VERSION } from '#modules/accounts/index'
import { DEMO_PASSWORD, type DemoContext } from '#core/demo'
import { dbTime } from '#core/db_time'

/**
 * The demo's read-only access: the grandmother of family DEMO-001, who picks both children up
 * on Wednesdays and Fridays, signs in as `grand-mere` and sees only those days.
 */
export default async function seedDemoPickupAccess(demo: DemoContext, familyId: number, personId: number, childIds: number[]) {
  const now = demo.now.toUTC()
  const user = (await User.findBy('username', 'grand-mere')) ?? new User()
  user.merge({
    username: 'grand-mere',
    email: 'josette.guerucci@demo.portail-famille.fr',
    fullName: 'Josette Guerucci',
    role: 'pickup',
    state: 'active',
    password: DEMO_PASSWORD,
    cguVersion: CGU_VERSION,
    cguAcceptedAt: now,
    activatedAt: now,
  })
  await user.save()
  const [row] = await db
    .table('pickup_accesses')
    .insert({
      family_id: familyId,
      authorized_person_id: personId,
      user_id: user.id,
      email: user.email,
      weekdays: '3,5',
      invited_at: dbTime(now.minus({ days: 3 }) as DateTime),
      created_at: dbTime(now),
      updated_at: dbTime(now),
    })
    .returning('id')
  const accessId = Number(typeof row === 'object' ? row.id : row)
  await db.table('pickup_access_children').multiInsert(childIds.map((childId) => ({ pickup_access_id: accessId, child_id: childId })))
  demo.logins.push({ role: 'pickup', username: 'grand-mere', password: DEMO_PASSWORD, note: 'Josette Guerucci, grand-mère (famille DEMO-001) : accès en lecture, mercredis et vendredis' })
}
