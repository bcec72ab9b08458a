/**
 * What the inscriptions module announces, after the change is committed. Other modules may
 * listen (messaging puts a notice in the family's inbox, planning opens the days); inscriptions
 * never imports them.
 */
export interface InscriptionEvent {
  registrationId: number
  familyId: number
  childId: number
  activityId: number
  childFirstName: string
  activityName: string
  /** The refusal reason, the cancellation's author, the reorder's reason... when there is one. */
  reason?: string
  /** True when inscriptions mailed each guardian about this decision: listeners must not mail it again. */
  familyMailed?: boolean
}

declare module '@adonisjs/core/types' {
  interface EventsList {
    'inscription:requested': InscriptionEvent
    'inscription:validated': InscriptionEvent
    'inscription:refused': InscriptionEvent
    'inscription:cancelled': InscriptionEvent
    'inscription:promoted': InscriptionEvent
  }
}
