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

export interface BillingSource {
  bookedDays(month: string): Promise<BookedDay[]>
  registrationFees(month: string): Promise<RegistrationFee[]>
}

/** Fixed data through the same interface (tests, benchmark). */
export function fixtureSource(days: BookedDay[], fees: RegistrationFee[] = []): BillingSource {
  return {
    bookedDays: async (month) => days.filter((day) => day.day.startsWith(month + '-')),
    registrationFees: async (month) => fees.filter((fee) => fee.validatedOn.startsWith(month + '-')),
  }
}

export function isMonth(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value)
}
