/**
 * The inscriptions module's face: the only file other modules import. Everything else in
 * modules/inscriptions/ is private (a lint rule refuses deep imports).
 */
export { default as registrationQueryService } from './services/registration_query_service.js'
export type { BookableRegistration } from './services/registration_query_service.js'

// Models other modules relate to (belongsTo) or read.
export { default as ActivityType } from './models/activity_type.js'
export { default as Activity } from './models/activity.js'
export { default as Registration } from './models/registration.js'

export type { InscriptionEvent } from './events.js'
