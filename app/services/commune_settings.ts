import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { dbTime } from '#core/db_time'

export interface CommuneContact {
  label: string
  phone: string
  address: string
  email?: string
}

export interface CommuneSettings {
  name: string
  logoPath: string | null
  logoAlt: string
  colorPrimary: string
  colorPrimaryContrast: string
  colorAccent: string
  contacts: CommuneContact[]
}

export const DEFAULT_SETTINGS: CommuneSettings = {
  name: 'Ma commune',
  logoPath: null,
  logoAlt: '',
  colorPrimary: '#1f4e79',
  colorPrimaryContrast: '#ffffff',
  colorAccent: '#8a3b12',
  contacts: [],
}

const TTL_MS = 5000

type SettingsRow = { value: string } | null | undefined

/** The settings' row as the database holds it now (undefined before portal:setup). */
export const readSettingsRow = (): Promise<SettingsRow> => db.from('portal_settings').where('key', 'commune').first()

/**
 * The commune's identity, stored as one JSON row so that several app processes read the
 * same values; kept a few seconds in memory since every page shows it.
 */
export class CommuneSettingsService {
  #cached: { value: CommuneSettings; at: number } | null = null
  /** The read under way: the requests that find the copy stale at the same instant share it. */
  #reading: Promise<CommuneSettings> | null = null
  /**
   * Counts the invalidations. A read begun before one (a page asked for the settings, then staff
   * saved new ones before the database answered) still answers its own request, but is neither
   * kept nor shared after it: otherwise this process showed the old values for TTL_MS more.
   */
  #generation = 0

  /** `readRow`: the row's read (tests slow it down to put a change in the middle of it). */
  constructor(private readonly readRow: () => Promise<SettingsRow> = readSettingsRow) {}

  async get(): Promise<CommuneSettings> {
    if (this.#cached && Date.now() - this.#cached.at < TTL_MS) return this.#cached.value
    // Without it, a rush of 300 parents read the row 300 times each time the copy expired.
    if (!this.#reading) {
      const reading = this.#read().finally(() => {
        if (this.#reading === reading) this.#reading = null
      })
      this.#reading = reading
    }
    return this.#reading
  }

  async #read(): Promise<CommuneSettings> {
    const generation = this.#generation
    const row = await this.readRow()
    const value = { ...DEFAULT_SETTINGS, ...(row ? JSON.parse(row.value) : {}) }
    if (generation === this.#generation) this.#cached = { value, at: Date.now() }
    return value
  }

  /** Without asking the database (it may be the reason of an error page): the last values read, or the defaults. */
  lastKnown(): CommuneSettings {
    return this.#cached?.value ?? DEFAULT_SETTINGS
  }

  /** With `client`, inside that transaction (portal:setup writes everything in one). */
  async update(changes: Partial<CommuneSettings>, client?: TransactionClientContract): Promise<CommuneSettings> {
    const runner = client ?? db
    const row = await runner.from('portal_settings').where('key', 'commune').first()
    const value = { ...DEFAULT_SETTINGS, ...(row ? JSON.parse(row.value) : {}), ...changes }
    const payload = { key: 'commune', value: JSON.stringify(value), updated_at: dbTime() }
    await runner.table('portal_settings').insert(payload).knexQuery.onConflict('key').merge(['value', 'updated_at'])
    this.invalidate()
    client?.after('commit', () => this.invalidate())
    return value
  }

  async fresh(): Promise<CommuneSettings> {
    this.invalidate()
    return this.get()
  }

  async isConfigured(): Promise<boolean> {
    return Boolean(await readSettingsRow())
  }

  invalidate() {
    this.#generation++
    this.#cached = null
    this.#reading = null
  }
}

const communeSettings = new CommuneSettingsService()
export default communeSettings
