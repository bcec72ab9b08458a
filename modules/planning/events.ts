/**
 * What the planning module announces, after the change is committed. Messaging may listen
 * (a notice in the family's inbox); planning never imports it.
 */
export interface PlanningPromoted {
  familyId: number
  childFirstName: string
  activityName: string
  /** ISO day of the booking the waiting list gave. */
  date: string
  childId: number
  activityId: number
  bookingId: number
}

/**
 * A weekly pattern could not book some of the days the staff just generated (full, deadline
 * passed, no registration on that day): the family should be told.
 */
export interface PlanningPatternRefused {
  familyId: number
  patternId: number
  childId: number
  childFirstName: string
  activityName: string
  /** "lundi et jeudi" */
  weekdaysText: string
  /** How many of the new days the pattern booked. */
  bookedCount: number
  /** The days refused, in order, each with its reason in the parent's words. */
  refused: { date: string; reason: string }[]
}

/** The patterns of one batch of a day generation (100 at most) that could not book some days, together. */
export interface PlanningPatternsRefused {
  reports: PlanningPatternRefused[]
}

/** A freed place is held for a waiting child until `expiresAt`: the family may book it in one click. */
export interface PlanningOfferMade {
  familyId: number
  childId: number
  childFirstName: string
  activityId: number
  activityName: string
  /** ISO day offered. */
  date: string
  offerId: number
  /** ISO instant (UTC) until which the place is held. */
  expiresAt: string
  /** Absolute address of the offer page (« Réserver cette place »). */
  url: string
}

/** Nothing booked yet for the activity's coming week, whose booking deadline is near. */
export interface PlanningBookingReminder {
  familyId: number
  activityId: number
  activityName: string
  /** First names of the family's children registered to the activity. */
  childFirstNames: string[]
  /** ISO Monday and Sunday of the week. */
  periodStart: string
  periodEnd: string
  /** ISO instant (UTC): the booking deadline of the week's first open day. */
  deadline: string
  /** Absolute address of the planning on that week. */
  url: string
}

/** Reminders sent by one run of planning:remind, a batch at a time (each family once per activity and week). */
export interface PlanningBookingReminders {
  reminders: PlanningBookingReminder[]
}

declare module '@adonisjs/core/types' {
  interface EventsList {
    'planning:promoted': PlanningPromoted
    'planning:patterns-refused': PlanningPatternsRefused
    'planning:offer-made': PlanningOfferMade
    'planning:booking-reminders': PlanningBookingReminders
  }
}
