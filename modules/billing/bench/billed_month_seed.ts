/*
 * For the billing bench and the invoice run's scale test: N families with one child each, every
 * one booked on the month's first D weekdays at a canteen with a bracket tariff (rows written
 * directly, as planning would have them; some days late, absent or justified).
 */
import { DateTime } from 'luxon'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

export async function seedBilledMonth(trx: QueryClientContract, options: { families: number; daysPerFamily: number; month: string }) {
  const { families, daysPerFamily, month } = options
  const now = DateTime.utc().toFormat(trx.dialect.dateTimeFormat)
  const start = DateTime.fromISO(`${month}-01`)
  const weekdays: string[] = []
  for (let day = start; day.month === start.month; day = day.plus({ days: 1 })) if (day.weekday <= 5) weekdays.push(day.toISODate()!)
  const days = weekdays.slice(0, daysPerFamily)

  const [type] = await trx.table('activity_types').insert({ name: `Banc facturation ${Date.now()}`, position: 99, created_at: now }).returning('id')
  const [activity] = await trx
    .table('activities')
    .insert({
      activity_type_id: typeof type === 'object' ? type.id : type,
      name: 'Restauration scolaire (banc)',
      starts_on: `${start.year}-01-01`,
      ends_on: `${start.year}-12-31`,
      fee_cents: 0,
      weekdays: '[1,2,3,4,5]',
      unit_label: 'repas',
      created_at: now,
    })
    .returning('id')
  const id = Number(typeof activity === 'object' ? activity.id : activity)
  await trx.table('billing_tariffs').insert({
    activity_id: id,
    valid_from: `${start.year}-01-01`,
    model: 'brackets',
    unit: 'meal',
    brackets: JSON.stringify([0, 400, 640, 860, 1150, 1500, 1700, 1900].map((fromQf, index) => ({ fromQf, priceCents: [50, 175, 235, 305, 355, 405, 460, 490][index] }))),
    non_resident_cents: 650,
    late_surcharge_cents: 250,
    created_at: now,
  })
  const dayIds: number[] = []
  for (const day of days) {
    const [row] = await trx
      .table('activity_days')
      .insert({ activity_id: id, day, room_capacity: families, capacity_under6: 0, capacity_over6: families, booked_over6: families, created_at: now })
      .returning('id')
    dayIds.push(Number(typeof row === 'object' ? row.id : row))
  }
  for (let offset = 0; offset < families; offset += 250) {
    const batch = Array.from({ length: Math.min(250, families - offset) }, (_, index) => offset + index)
    const references = batch.map((index) => `BENCH-${month}-${index}`)
    await trx
      .table('families')
      .multiInsert(batch.map((index, at) => ({ reference: references[at], family_quotient: (index * 37) % 2200, regime: 'CAF', resident: index % 10 !== 0, created_at: now })))
    // (multi-row RETURNING is not portable: read the ids back, in the order of the references)
    const byReference = new Map((await trx.from('families').whereIn('reference', references).select('id', 'reference')).map((row) => [row.reference, Number(row.id)]))
    const familyIds = references.map((reference) => byReference.get(reference)!)
    await trx.table('guardians').multiInsert(familyIds.map((familyId, index) => ({ family_id: familyId, last_name: `Banc${offset + index}`, first_name: 'Camille', position: 1, created_at: now })))
    await trx
      .table('children')
      .multiInsert(familyIds.map((familyId) => ({ family_id: familyId, reference: 'E1', last_name: 'Banc', first_name: 'Lou', birth_date: '2018-01-01', created_at: now })))
    const childByFamily = new Map((await trx.from('children').whereIn('family_id', familyIds).select('id', 'family_id')).map((row) => [Number(row.family_id), Number(row.id)]))
    const childIds = familyIds.map((familyId) => childByFamily.get(familyId)!)
    const bookings = familyIds.flatMap((familyId, index) =>
      days.map((day, dayIndex) => ({
        activity_day_id: dayIds[dayIndex],
        activity_id: id,
        child_id: childIds[index],
        family_id: familyId,
        day,
        age_group: 'over6',
        late: dayIndex === 7 && index % 5 === 0,
        attendance: dayIndex === 3 && index % 4 === 0 ? 'justified' : dayIndex === 4 && index % 6 === 0 ? 'absent' : 'present',
        created_at: now,
      }))
    )
    for (let at = 0; at < bookings.length; at += 500) await trx.table('planning_bookings').multiInsert(bookings.slice(at, at + 500))
  }
  return { activityId: id, days }
}
