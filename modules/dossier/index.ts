/**
 * The dossier module's face: the only file other modules import. Everything else in
 * modules/dossier/ is private (a lint rule refuses deep imports).
 */
export type { ExportSection, PickupDay } from './hooks.js'
export { default as familyService } from './services/family_service.js'
export { default as historyService } from './services/history_service.js'
export { default as familySearch } from './services/family_search.js'
export { CHANGE_REQUEST_TOPIC } from './services/dossier_service.js'
export type { HistoryLine } from './services/history_service.js'
export { requireFamily, familyOf, familyIdOf, actsFor } from './services/family_access.js'
export { default as custodyService, householdOn, weeksOf } from './services/custody_service.js'
export { custodyHouseholds } from './services/page_scopes.js'
export type { ActingChild, CustodyWeeks, PlanningCustody } from './services/custody_service.js'
export { default as FamilyPolicy } from './policies/family_policy.js'

// Models other modules relate to (belongsTo) or read.
export { default as Family } from './models/family.js'
export { default as Guardian } from './models/guardian.js'
export { default as Child } from './models/child.js'
export { default as AuthorizedPerson } from './models/authorized_person.js'
export { default as FamilyDocument } from './models/family_document.js'
export { default as HistoryEntry } from './models/history_entry.js'
export { default as CustodyArrangement } from './models/custody_arrangement.js'

export type { DossierChangeRequested, DossierFamilyCreated, DossierCustodyEnded } from './events.js'
