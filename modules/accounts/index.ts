/**
 * The accounts module's face: the only file other modules import. Everything else in
 * modules/accounts/ is private (a lint rule refuses deep imports).
 */
export { default as User } from './models/user.js'
export type { UserRole, UserState } from './models/user.js'
export { default as accountService, usernameBase } from './services/account_service.js'
export type { PendingAccountInput } from './services/account_service.js'
// The FranceConnect access token of this session, for the data scopes a module asked (hooks.ts).
export { default as franceconnectDataToken } from './services/franceconnect_data_token.js'
export { CGU_VERSION, CGU_TITLE, CGU_PARTIAL } from './services/cgu.js'
// The questions accounts asks the modules that depend on it (ModuleHooks, answered in their manifests).
export type {} from './hooks.js'
// Read-only accounts of the persons a guardian authorizes to pick the children up (dossier invites them).
export { default as readOnlyAccounts } from './services/read_only_accounts.js'
export type { InvitationOutcome } from './services/read_only_accounts.js'
