import { DateTime } from 'luxon'

/** A login the start command prints for the demo commune. */
export interface DemoLogin {
  role: string
  username: string
  password: string
  note?: string
}

/**
 * Passed to each module's demo seeder (modules/<name>/database/seeders/demo.ts, default
 * export `async (demo: DemoContext) => void`), in dependency order: every module adds its part.
 */
export interface DemoContext {
  logins: DemoLogin[]
  /** What earlier seeders made that later ones build on (e.g. state.families). */
  state: Record<string, any>
  now: DateTime
  enabled: (module: string) => boolean
}

export const DEMO_PASSWORD = 'Demo-Portail-2026'
