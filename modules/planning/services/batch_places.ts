import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { AgeGroup, DayCounters, DayRow } from '#modules/planning/models/activity_day'
import { COUNTER } from '#modules/planning/services/place_counters'
import { dbTimeOf } from '#core/db_time'
import { directWriteReturning, listOf } from '#core/direct_sql'

export interface PlaceWanted {
  /** A model or a plain row: its id, whether it is closed, its counters. */
  day: Pick<DayRow, 'id' | 'closed'> & DayCounters
  group: AgeGroup
}

/** Days per UPDATE: three CASEs of two bindings per day stay far below both drivers' limits. */
const DAYS_PER_UPDATE = 200

/**
 * Takes one place per wanted (day, age group), in the order given, where the day still has one;
 * returns the indexes served. The days were read under their lock (FOR UPDATE on PostgreSQL,
 * SQLite's single writer): the places left are shared out in memory, then each age group's
 * counters move by one UPDATE for up to 200 days, whatever the number of children per day
 * (a pattern batch puts hundreds of children on the same new days). The UPDATE stays
 * conditional on the counters (`booked + n <= capacity`, room included) and the table's CHECKs
 * stay the last guard: a day whose counters moved since the read gives nobody a place.
 */
export async function takePlacesFor(wanted: PlaceWanted[], trx: TransactionClientContract): Promise<Set<number>> {
  const left = new Map<number, Record<AgeGroup | 'room', number>>()
  const perGroup: Record<AgeGroup, Map<number, number>> = { under6: new Map(), over6: new Map() }
  const chosen: { index: number; dayId: number; group: AgeGroup }[] = []
  for (const [index, { day, group }] of wanted.entries()) {
    if (day.closed) continue
    const places =
      left.get(day.id) ??
      left
        .set(day.id, {
          under6: day.capacityUnder6 - day.bookedUnder6,
          over6: day.capacityOver6 - day.bookedOver6,
          room: day.roomCapacity - day.bookedUnder6 - day.bookedOver6,
        })
        .get(day.id)!
    if (places[group] <= 0 || places.room <= 0) continue
    places[group] -= 1
    places.room -= 1
    perGroup[group].set(day.id, (perGroup[group].get(day.id) ?? 0) + 1)
    chosen.push({ index, dayId: day.id, group })
  }
  const taken: Record<AgeGroup, Set<number>> = { under6: new Set(), over6: new Set() }
  for (const group of ['under6', 'over6'] as const) {
    const counts = [...perGroup[group]]
    for (let at = 0; at < counts.length; at += DAYS_PER_UPDATE) {
      for (const id of await raiseCounters(trx, group, counts.slice(at, at + DAYS_PER_UPDATE))) taken[group].add(id)
    }
  }
  return new Set(chosen.filter(({ dayId, group }) => taken[group].has(dayId)).map(({ index }) => index))
}

/** `booked_<group> += n` for each (day id, n), only where the group and the room have n places; the ids moved. */
async function raiseCounters(trx: TransactionClientContract, group: AgeGroup, counts: [number, number][]): Promise<number[]> {
  const { booked, capacity } = COUNTER[group]
  const byDay = `CASE id ${counts.map(() => 'WHEN ? THEN CAST(? AS integer)').join(' ')} END`
  const caseBindings = counts.flatMap(([id, count]) => [id, count])
  const ids = counts.map(([id]) => id)
  const rows = await directWriteReturning<{ id: number | string }>(
    `update activity_days set ${booked} = ${booked} + ${byDay}, updated_at = ? ` +
      'where id in (?) and closed = ? ' +
      `and ${booked} + ${byDay} <= ${capacity} and booked_under6 + booked_over6 + ${byDay} <= room_capacity returning id`,
    [...caseBindings, dbTimeOf(trx), listOf(ids), false, ...caseBindings, ...caseBindings],
    trx
  )
  return rows.map((row) => Number(row.id))
}
