import env from '#start/env'

/**
 * What a commune switches without touching code. The commune's identity (name, logo,
 * colours, contacts, services) lives in the database and is set by `node ace portal:setup`.
 */
const portalConfig = {
  /** Comma list of enabled modules; empty or unset means all of them. */
  modules: env.get('PORTAL_MODULES') ?? '',
  /** Minutes of inactivity after which a session ends. */
  idleMinutes: env.get('SESSION_IDLE_MINUTES', 30),
  /** Public address used in emails (activation links). */
  appUrl: env.get('APP_URL') ?? `http://${env.get('HOST')}:${env.get('PORT')}`,
}

export default portalConfig
