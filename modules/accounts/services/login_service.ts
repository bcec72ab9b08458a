import hash from '@adonisjs/core/services/hash'
import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import User from '#modules/accounts/models/user'

let dummyHash: Promise<string> | null = null

/** Verifies against a throwaway hash, so an unknown name costs the same time as a known one. */
export async function dummyVerify(password: string) {
  dummyHash ??= hash.make('portail-famille: compte inconnu, même durée')
  await hash.verify(await dummyHash, password)
}

export async function findByLogin(uid: string): Promise<User | null> {
  const value = uid.trim().toLowerCase()
  if (!value) return null
  return User.query().where('username', value).orWhere('email', value).first()
}

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

/** A same-site path to go back to after login, never another site. */
export function safeIntended(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null
  if (value.startsWith('/connexion') || value.startsWith('/deconnexion')) return null
  return value
}

/**
 * Opens the session (tagged with the user, so a new password can end it elsewhere) and
 * names the remembered device.
 */
export async function openSession(ctx: HttpContext, user: User, remember: boolean) {
  await ctx.auth.use('web').login(user, remember)
  await ctx.session.tag(String(user.id))
  user.lastLoginAt = DateTime.utc()
  await user.save()
  if (remember) {
    const latest = await db.from('remember_me_tokens').where('tokenable_id', user.id).orderBy('id', 'desc').first()
    if (latest) {
      await db
        .from('remember_me_tokens')
        .where('id', latest.id)
        .update({ device_label: deviceLabel(ctx.request.header('user-agent')).slice(0, 120) })
    }
  }
}

export function homeFor(user: User) {
  return user.isStaff ? '/gestion' : '/accueil'
}
