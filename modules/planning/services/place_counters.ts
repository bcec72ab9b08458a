import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { AgeGroup } from '#modules/planning/models/activity_day'
import { affectedRows } from '#core/sql_results'
import { dbTimeOf } from '#core/db_time'

/**
 * The day's counters of one age group. A place is taken by one conditional UPDATE (the CHECKs
 * of activity_days are the last guard): never count then insert.
 */
export const COUNTER: Record<AgeGroup, { booked: string; capacity: string }> = {
  under6: { booked: 'booked_under6', capacity: 'capacity_under6' },
  over6: { booked: 'booked_over6', capacity: 'capacity_over6' },
}

/** Takes a place of the age group if both the group and the room have one; false when full. */
export async function takePlace(
  trx: TransactionClientContract,
  dayId: number,
  group: AgeGroup,
  { openDayOnly }: { openDayOnly: boolean }
): Promise<boolean> {
  const { booked, capacity } = COUNTER[group]
  const update = trx.from('activity_days').where('id', dayId)
  if (openDayOnly) update.where('closed', false)
  const taken = await update
    .whereRaw(`${booked} < ${capacity}`)
    .whereRaw('booked_under6 + booked_over6 < room_capacity')
    .update({ [booked]: trx.knexRawQuery(`${booked} + 1`), updated_at: dbTimeOf(trx) })
  return affectedRows(taken) === 1
}

/** Staff over capacity: a place added to the group and the room, and taken (the day must be open). */
export async function addAndTakePlace(trx: TransactionClientContract, dayId: number, group: AgeGroup): Promise<boolean> {
  const { booked, capacity } = COUNTER[group]
  const taken = await trx
    .from('activity_days')
    .where('id', dayId)
    .where('closed', false)
    .update({
      [booked]: trx.knexRawQuery(`${booked} + 1`),
      [capacity]: trx.knexRawQuery(`${capacity} + 1`),
      room_capacity: trx.knexRawQuery('room_capacity + 1'),
      updated_at: dbTimeOf(trx),
    })
  return affectedRows(taken) === 1
}

/** Gives a cancelled booking's place back; a forced place also gives back the capacity it added. */
export async function givePlaceBack(trx: TransactionClientContract, dayId: number, group: AgeGroup, forced: boolean) {
  const { booked, capacity } = COUNTER[group]
  const changes: Record<string, unknown> = { [booked]: trx.knexRawQuery(`${booked} - 1`), updated_at: dbTimeOf(trx) }
  if (forced) {
    changes[capacity] = trx.knexRawQuery(`${capacity} - 1`)
    changes.room_capacity = trx.knexRawQuery('room_capacity - 1')
  }
  const given = affectedRows(await trx.from('activity_days').where('id', dayId).whereRaw(`${booked} > 0`).update(changes))
  if (given !== 1) throw new Error(`activity_days ${dayId}: counter and bookings disagree`)
}
