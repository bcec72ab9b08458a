import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { WithTimestamps } from '#core/model_mixins'
import { Activity } from '#modules/inscriptions/index'
import { AgeGroupPlaces } from '#modules/planning/models/age_group_places'

/**
 * A day an activity opens, with its places: the room's limit and, counted apart, places for
 * children under 6 and for those of 6 and over. The booked counters move only through
 * place_counters and basket_booking (conditional UPDATEs; CHECKs in the table).
 */
export default class ActivityDay extends compose(BaseModel, WithTimestamps, AgeGroupPlaces) {
  static table = 'activity_days'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare activityId: number

  /** ISO day AAAA-MM-JJ. */
  @column()
  declare day: string

  @column({ columnName: 'booked_under6' })
  declare bookedUnder6: number

  @column({ columnName: 'booked_over6' })
  declare bookedOver6: number

  @column({ consume: (value) => Boolean(value) })
  declare closed: boolean

  @column()
  declare closedReason: string | null

  @belongsTo(() => Activity)
  declare activity: BelongsTo<typeof Activity>

  get bookedTotal() {
    return this.bookedUnder6 + this.bookedOver6
  }

  /** Places still free for an age group (the room's limit included). */
  placesLeft(group: AgeGroup): number {
    return placesLeftOf(this, group)
  }
}

export type DayCounters = Pick<ActivityDay, 'roomCapacity' | 'capacityUnder6' | 'capacityOver6' | 'bookedUnder6' | 'bookedOver6'>

/** A day as a plain row: what the month page and the basket read of it. */
export type DayRow = DayCounters & { id: number; activityId: number; day: string; closed: boolean; closedReason: string | null }

/** The columns of `activity_days` a DayRow is read from (`select ${DAY_ROW_COLUMNS} from activity_days …`). */
export const DAY_ROW_COLUMNS = 'id, activity_id, day, closed, closed_reason, room_capacity, capacity_under6, capacity_over6, booked_under6, booked_over6'

/**
 * A day as the hot reads need it, from its row: the same values an ActivityDay model holds, without
 * building the model (8 µs a day in a loop, its proxy at each attribute and two luxon dates).
 */
export function dayRowOf(row: any): DayRow {
  return {
    id: Number(row.id),
    activityId: Number(row.activity_id),
    day: row.day,
    closed: Boolean(row.closed),
    closedReason: row.closed_reason,
    roomCapacity: row.room_capacity,
    capacityUnder6: row.capacity_under6,
    capacityOver6: row.capacity_over6,
    bookedUnder6: row.booked_under6,
    bookedOver6: row.booked_over6,
  }
}

/** Places still free for an age group on a day's counters (a model or a plain row). */
export function placesLeftOf(day: DayCounters, group: AgeGroup): number {
  const room = day.roomCapacity - day.bookedUnder6 - day.bookedOver6
  const own = group === 'under6' ? day.capacityUnder6 - day.bookedUnder6 : day.capacityOver6 - day.bookedOver6
  return Math.max(0, Math.min(room, own))
}

export type AgeGroup = 'under6' | 'over6'

export const AGE_GROUP_LABELS: Record<AgeGroup, string> = {
  under6: 'moins de 6 ans',
  over6: '6 ans et plus',
}

/**
 * Under 6 or 6 and over, on the day itself: 6 from the sixth birthday, which ISO dates compare
 * as text (born on 29 February: 6 on 1 March, six years later being a common year). A month
 * page asks it of each day.
 */
export function ageGroupOn(birthDate: string, isoDay: string): AgeGroup {
  const sixthBirthday = String(Number(birthDate.slice(0, 4)) + 6).padStart(4, '0') + birthDate.slice(4, 10)
  return isoDay < sixthBirthday ? 'under6' : 'over6'
}
