/**
 * What the dossier module announces. Other modules may listen (messaging puts the request in
 * the family's conversation with the service); the dossier never imports them.
 */
export interface DossierChangeRequested {
  familyId: number
  userId: number
  /** "Demande de modification d'éléments dans mon dossier" */
  topic: string
  /** What the parent wrote: which element, which new value. */
  message: string
  /** 'child' | 'quotient' | 'other' */
  subject: string
  childId: number | null
  historyEntryId: number
}

export interface DossierFamilyCreated {
  familyId: number
  source: 'staff' | 'import' | 'demo'
}

/** A shared custody ended: the other household's bookings after `endsOn` are no longer its to keep. */
export interface DossierCustodyEnded {
  childId: number
  otherFamilyId: number
  /** ISO day, the last one shared. */
  endsOn: string
}

declare module '@adonisjs/core/types' {
  interface EventsList {
    'dossier:custody-ended': DossierCustodyEnded
    'dossier:change-requested': DossierChangeRequested
    'dossier:family-created': DossierFamilyCreated
  }
}
