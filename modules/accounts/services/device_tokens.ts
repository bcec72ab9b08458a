import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { DbRememberMeTokensProvider } from '@adonisjs/auth/session'
import type { LucidModel } from '@adonisjs/lucid/types/model'

/** "Chrome sur Windows", from the User-Agent, to name a remembered device. */
export function deviceLabel(userAgent: string | undefined | null): string {
  const ua = userAgent ?? ''
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Navigateur'
  const system = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : 'système inconnu'
  return `${browser} sur ${system}`
}

/**
 * Remember-me tokens that keep their device's name: the guard recycles a token (deletes it,
 * creates another) each time it reopens a session, which lost the name and the date the
 * device was first remembered.
 */
export class DeviceRememberMeTokensProvider<Model extends LucidModel> extends DbRememberMeTokensProvider<Model> {
  async recycle(user: InstanceType<Model>, identifier: string | number | BigInt, expiresIn: string | number) {
    const client = await this.getDb()
    const previous = await client.from(this.table).where('id', String(identifier)).select('device_label', 'created_at').first()
    const token = await super.recycle(user, identifier, expiresIn)
    if (previous) {
      await client
        .from(this.table)
        .where('id', String(token.identifier))
        .update({ device_label: previous.device_label, created_at: previous.created_at })
    }
    return token
  }
}

/** Names the newest token of a user that has no name yet, from the browser that uses it. */
export async function nameNewestDevice(userId: number, userAgent: string | undefined) {
  const newest = await db.from('remember_me_tokens').where('tokenable_id', userId).orderBy('id', 'desc').first()
  if (newest && !newest.device_label) {
    await db.from('remember_me_tokens').where('id', newest.id).update({ device_label: deviceLabel(userAgent).slice(0, 120) })
  }
}

/** SQLite gives the instants the guard wrote as milliseconds, PostgreSQL as Dates. */
function instant(value: number | string | Date | null): DateTime | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return DateTime.fromMillis(value, { zone: 'utc' })
  if (value instanceof Date) return DateTime.fromJSDate(value, { zone: 'utc' })
  const parsed = DateTime.fromISO(value, { zone: 'utc' })
  return parsed.isValid ? parsed : DateTime.fromSQL(value, { zone: 'utc' })
}

export interface RememberedDevice {
  id: number
  label: string
  rememberedAt: DateTime | null
  lastUsedAt: DateTime | null
  expiresAt: DateTime | null
}

export async function rememberedDevices(userId: number): Promise<RememberedDevice[]> {
  const rows = await db
    .from('remember_me_tokens')
    .where('tokenable_id', userId)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .select('id', 'device_label', 'created_at', 'updated_at', 'expires_at')
  return rows.map((row) => ({
    id: Number(row.id),
    label: row.device_label || 'Appareil non identifié',
    rememberedAt: instant(row.created_at),
    lastUsedAt: instant(row.updated_at),
    expiresAt: instant(row.expires_at),
  }))
}
