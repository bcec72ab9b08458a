import type { CpuSplit } from './servers.js'
import type autocannon from 'autocannon'

/** What one measured scenario gives: the table shows these, nothing is estimated. */
export interface BenchFigures {
  name: string
  requestsPerSecond: number
  p99: number
  average: number
  requests: number
  non2xx: number
  errors: number
  note?: string
  /** Set by ctx.measure: an HTTP measure, compared with (a) and (b) in the table. */
  http?: boolean
}

export type MeasureOptions = Omit<autocannon.Options, 'url' | 'duration' | 'connections'> & {
  /** Row label in the table, e.g. "accounts: login". */
  name: string
  /** Path on the app under test (or a full URL). */
  path: string
  connections?: number
  note?: string
}

/**
 * The database a scenario runs on: a fresh migrated one per scenario, the one the app server,
 * `ctx.ace` and `ctx.env` use. `path` is absolute; `--pg` gives the node-postgres connection.
 */
export type BenchDatabase =
  | { kind: 'sqlite'; path: string }
  | { kind: 'pg'; connection: { host: string; port: number; user: string; password: string; database: string } }

/**
 * Given to module scenarios (modules/<name>/bench/*.ts). The app runs in its own process
 * (NODE_ENV=production, a fresh database of the scenario's own, bench routes on); scenarios
 * talk to it over HTTP and prepare data with `ace` (seeders, commands) rather than importing
 * app code.
 */
export interface BenchContext extends KeyFigureReporting {
  appUrl: string
  database: BenchDatabase
  duration: number
  warmup: number
  connections: number
  /** The environment the app runs with (use it for extra child processes). */
  env: NodeJS.ProcessEnv
  /** Warms up, then measures `duration` seconds with autocannon. */
  measure(options: MeasureOptions): Promise<BenchFigures>
  /**
   * Measures that a figure divides by one another: each warmed up, then taken in turns, the same
   * `duration` seconds each in all (bench/in_turns.ts). A ratio of two measure() calls compares
   * two different minutes of the machine.
   */
  measureTogether(options: MeasureOptions[]): Promise<BenchFigures[]>
  /** A session cookie (and CSRF token, when the page has one) from a GET on the app. */
  session(path?: string): Promise<{ cookie: string; csrfToken: string | null }>
  /** Runs `node ace <args>` against the app's database. */
  ace(args: string[]): Promise<void>
  log(message: string): void
}

/**
 * A module's scenario: modules/<name>/bench/<what>.ts with `export default { name, run }`
 * (or `export const scenarios = [...]`). Files named `_*.ts` or `*_worker.ts` are helpers:
 * the runner never imports them (a worker that boots the app runs in its own process).
 */
export interface BenchScenario {
  name: string
  /**
   * The scenario reports figures `*_over_hashes`: the runner measures the hash alone just before
   * and just after it, and divides by the higher of those two (the machine's speed drifts).
   */
  hashBound?: boolean
  run(ctx: BenchContext): Promise<BenchFigures | BenchFigures[]>
}

/**
 * The figures the performance issue sets a goal for. The runner knows each one's goal and
 * physical bound (bench/goals.ts); a scenario only reports the measured value with
 * `ctx.report(name, value)`. `npm run bench -- --json FILE` writes them all.
 */
export type KeyFigureName =
  | 'middleware_over_bare'
  | 'home_over_bare'
  | 'month_page_over_middleware'
  | 'month_page_ceiling_over_middleware'
  | 'month_page_rendered_over_middleware'
  | 'rush_journeys_over_hashes'
  | 'rush_month_page_p99_ms'
  | 'logins_over_hashes'
  | 'import_over_raw_inserts'
  | 'hashes_per_second_alone'
  | 'rush_rss_mb'

export interface KeyFigureReporting {
  /**
   * argon2id hashes/s with the app's parameters, measured alone by bench/hash_baseline.js in a
   * plain process just before this scenario (a `hashBound` one; before all scenarios otherwise).
   * A figure named `*_over_hashes` is reported divided by this value; the runner rescales it to
   * the higher of this measure and the one just after the scenario.
   */
  hashesPerSecondAlone: number
  /** Records one key figure (a ratio, a p99 in ms, an RSS in MB). */
  report(name: KeyFigureName, value: number): void
  /** Samples the app server's resident memory until `stop()`, which gives the peak in MB. */
  watchServerMemory(): { stop(): number }
  /** The CPU the app server's threads and this bench process use until `stop()` (bench/servers.ts). */
  watchServerCpu(): { stop(): CpuSplit }
}
