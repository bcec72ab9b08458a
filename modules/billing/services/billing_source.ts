/*
 * What an invoice run reads: the month's booked days (with attendance and the late flag) and
 * the registrations validated that month (their fee). The planning-backed source is the real
 * one; tests and the benchmark may pass fixture data through the same interface.
 */
export type Attendance = 'present' | 'absent' | 'justified' | 'unknown'

export interface BookedDay {
  familyId: number
  childId: number
  activityId: number
  /** ISO day. */
  day: string
  attendance: Attendance
  /** Booked after the deadline: the tariff's late surcharge applies. */
  late: boolean
  /** Units of the tariff this day counts for (1 meal, 1 day...; hours for hourly tariffs). Default 1. */
  quantity?: number
}

export interface RegistrationFee {
  familyId: number
  childId: number
  activityId: number
  feeCents: number
  /** ISO day the registration was validated. */
  validatedOn: string
}

/** The families a month bills (a day or a fee), in order, and the activities concerned. */
export interface MonthScope {
  familyIds: number[]
  activityIds: number[]
}

/**
 * A month's days and fees, all of them or those of some families (`familyIds`): an invoice run
 * reads them a page of families at a time.
 */
export interface BillingSource {
  monthScope(month: string): Promise<MonthScope>
  bookedDays(month: string, familyIds?: readonly number[]): Promise<BookedDay[]>
  registrationFees(month: string, familyIds?: readonly number[]): Promise<RegistrationFee[]>
}

/** The scope of these items: their families in order, their activities. */
export function scopeOf(items: { familyId: number; activityId: number }[]): MonthScope {
  return {
    familyIds: [...new Set(items.map((item) => item.familyId))].sort((a, b) => a - b),
    activityIds: [...new Set(items.map((item) => item.activityId))],
  }
}

/** Fixed data through the same interface (tests, benchmark). */
export function fixtureSource(days: BookedDay[], fees: RegistrationFee[] = []): BillingSource {
  const ofFamilies = <T extends { familyId: number }>(items: T[], familyIds?: readonly number[]) => (familyIds ? items.filter((item) => familyIds.includes(item.familyId)) : items)
  const daysOf = (month: string) => days.filter((day) => day.day.startsWith(month + '-'))
  const feesOf = (month: string) => fees.filter((fee) => fee.validatedOn.startsWith(month + '-'))
  return {
    monthScope: async (month) => scopeOf([...daysOf(month), ...feesOf(month)]),
    bookedDays: async (month, familyIds) => ofFamilies(daysOf(month), familyIds),
    registrationFees: async (month, familyIds) => ofFamilies(feesOf(month), familyIds),
  }
}

export function isMonth(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value)
}
