import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { WithTimestamps } from '#core/model_mixins'
import ActivityDay from '#modules/planning/models/activity_day'
import { ChildOnDay } from '#modules/planning/models/child_on_day'
import { dateTimeColumn } from '#core/datetime_column'

export type Attendance = 'present' | 'absent' | 'justified'
export type BookingSource = 'parent' | 'staff' | 'waitlist'

export const ATTENDANCE_LABELS: Record<Attendance, string> = {
  present: 'présent',
  absent: 'absent',
  justified: 'absence justifiée',
}

/** A child booked on a day of an activity. Deleting the row (cancellation) gives the place back. */
export default class Booking extends compose(BaseModel, WithTimestamps, ChildOnDay) {
  static table = 'planning_bookings'

  @column({ isPrimary: true })
  declare id: number

  /** Booked after the deadline (by the service on the family's behalf). */
  @column({ consume: (value) => Boolean(value) })
  declare late: boolean

  /** Booked over capacity by the service: the day's capacity was raised by one for it. */
  @column({ consume: (value) => Boolean(value) })
  declare forced: boolean

  @column()
  declare source: BookingSource

  @column()
  declare bookedBy: number | null

  @column()
  declare onBehalfReason: string | null

  @column()
  declare attendance: Attendance | null

  @column()
  declare attendanceBy: number | null

  @dateTimeColumn()
  declare attendanceAt: DateTime | null

  @dateTimeColumn()
  declare absenceDeclaredAt: DateTime | null

  @column()
  declare absenceReason: string | null

  @column()
  declare absenceDocumentId: number | null

  @belongsTo(() => ActivityDay)
  declare activityDay: BelongsTo<typeof ActivityDay>
}
