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

declare module '@adonisjs/core/types' {
  interface EventsList {
    'planning:promoted': PlanningPromoted
  }
}
