import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import hash from '@adonisjs/core/services/hash'
import env from '#start/env'
import { dataPaths } from '#core/project_paths'
import type { UserRole, UserState } from '#modules/accounts/models/user'
import { createUser } from '#tests/helpers/users'
import { CGU_VERSION } from '#modules/accounts/services/cgu'
import { loginQueue, passwordChecks } from '#modules/accounts/services/password_hashing'
import type { Group } from '@japa/runner/core'
import mailQueue from '#services/mail_queue'

export const GOOD_PASSWORD = 'Jardin-Soleil-2026'
export const OTHER_PASSWORD = 'le chat dort sur le canape bleu'

let counter = 0

/** An account as accounts' own tests need it: a pending one has no password nor accepted CGU yet. */
export async function makeUser(
  overrides: Partial<{ username: string; email: string | null; fullName: string; role: UserRole; state: UserState; password: string | null }> = {}
) {
  counter += 1
  const id = `${Date.now().toString(36)}${counter}`
  const state = overrides.state ?? 'active'
  const pending = state === 'pending'
  return createUser(overrides.role ?? 'parent', {
    username: overrides.username ?? `user${id}`,
    email: overrides.email === undefined ? `user${id}@exemple.fr` : overrides.email,
    fullName: overrides.fullName ?? `Parent ${id}`,
    state,
    password: overrides.password === undefined ? (pending ? null : GOOD_PASSWORD) : overrides.password,
    cguVersion: pending ? null : CGU_VERSION,
    cguAcceptedAt: pending ? null : DateTime.utc(),
    activatedAt: pending ? null : DateTime.utc(),
  })
}

export function outboxPath() {
  return dataPaths(app.appRoot, (name) => env.get(name)).outbox
}

export async function clearOutbox() {
  await rm(outboxPath(), { recursive: true, force: true })
}

/** Decodes a quoted-printable body (soft line breaks, =XX bytes). */
export function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '')
  const bytes: number[] = []
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16))
      i += 2
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'))
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

/** Every mail written to the outbox for this address, oldest first, decoded (the mail queue sent first). */
export async function mailsTo(address: string): Promise<string[]> {
  await mailQueue.drain()
  let files: string[] = []
  try {
    files = (await readdir(outboxPath())).filter((name) => name.endsWith('.eml')).sort()
  } catch {
    return []
  }
  const mails: string[] = []
  for (const name of files) {
    const raw = await readFile(join(outboxPath(), name), 'utf8')
    const decoded = decodeQuotedPrintable(raw)
    if (new RegExp(`^To: .*${address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'mi').test(decoded)) mails.push(decoded)
  }
  return mails
}

export function linkIn(mail: string, path: string): string {
  const match = new RegExp(`https?://[^\\s"<>]*${path}/([A-Za-z0-9_-]+)`).exec(mail)
  if (!match) throw new Error(`Aucun lien ${path} dans le courriel`)
  return match[0]
}

export function tokenOf(url: string) {
  return url.split('/').pop()!
}

/** Counts the passwords the app verifies (the account's hash or the throwaway one), by password. */
export function spyOnVerifications() {
  const original = hash.verify
  const seen: string[] = []
  hash.verify = async function (this: typeof hash, hashed: string, plain: string) {
    seen.push(plain)
    return original.call(this, hashed, plain)
  }
  return { seen, restore: () => (hash.verify = original) }
}

/**
 * Every password slot taken by a task the test ends, after one short check so that the queue
 * knows how long a check holds its place: as in a rush, a new password operation has to wait.
 */
export async function holdEveryCheck() {
  await passwordChecks.run(() => new Promise((resolve) => setTimeout(resolve, 20)))
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const holders = Array.from({ length: passwordChecks.limit }, () => passwordChecks.run(() => gate))
  return { release: () => (release(), Promise.all(holders)) }
}

/** The tests of the group may shorten the queue's bound (loginQueue): it is put back after each. */
export function restoreQueueBoundAfterEach(group: Group) {
  group.each.setup(() => {
    const bound = loginQueue.maxWaitMs
    return () => {
      loginQueue.maxWaitMs = bound
    }
  })
}

export async function until(condition: () => boolean) {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 200) throw new Error('condition jamais remplie')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

export { CookieAgent } from '#tests/helpers/cookie_agent'
