/** Where the FranceConnect flow keeps its values in the session. */
export const PENDING_KEY = 'franceconnect.pending'
export const ID_TOKEN_KEY = 'franceconnect.id_token'
export const UNKNOWN_KEY = 'franceconnect.unknown'
export const LOGOUT_STATE_KEY = 'franceconnect.logout_state'
