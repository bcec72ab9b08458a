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

declare module '@adonisjs/core/types' {
  interface EventsList {
    'planning:promoted': PlanningPromoted
    'planning:pattern-refused': PlanningPatternRefused
  }
}
