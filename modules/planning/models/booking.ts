import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { Child } from '#modules/dossier/index'
import ActivityDay, { type AgeGroup } from '#modules/planning/models/activity_day'

export type Attendance = 'present' | 'absent' | 'justified'
export type BookingSource = 'parent' | 'staff' | 'waitlist'

export const ATTENDANCE_LABELS: Record<Attendance, string> = {
  present: 'présent',
  absent: 'absent',
  justified: 'absence justifiée',
}

/** A child booked on a day of an activity. Deleting the row (cancellation) gives the place back. */
export default class Booking extends BaseModel {
  static table = 'planning_bookings'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare activityDayId: number

  @column()
  declare activityId: number

  @column()
  declare childId: number

  @column()
  declare familyId: number

  @column()
  declare day: string

  @column()
  declare ageGroup: AgeGroup

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

  @column.dateTime()
  declare attendanceAt: DateTime | null

  @column.dateTime()
  declare absenceDeclaredAt: DateTime | null

  @column()
  declare absenceReason: string | null

  @column()
  declare absenceDocumentId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @belongsTo(() => Child)
  declare child: BelongsTo<typeof Child>

  @belongsTo(() => ActivityDay)
  declare activityDay: BelongsTo<typeof ActivityDay>
}
