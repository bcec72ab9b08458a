import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { User, accountService, usernameBase } from '#modules/accounts/index'

export interface PendingAccountResult {
  user: User
  created: boolean
}

/** An account as the batch functions give it: no model to hydrate for thousands of rows. */
export interface AccountRef {
  id: number
  role: string
}

/**
 * A parent account for a guardian with an email: an existing parent account with that email
 * is reused; otherwise the accounts module (a dependency of dossier) creates a pending one (no
 * password; it activates it by link).
 * Returns null when the email belongs to an agent (never linked to a family).
 * Inside a transaction, pass it: every query then runs on it (SQLite has one connection).
 */
export async function ensureParentAccount(email: string, fullName: string, client?: TransactionClientContract): Promise<PendingAccountResult | null> {
  const normalized = email.trim().toLowerCase()
  const existing = await User.query({ client }).whereRaw('lower(email) = ?', [normalized]).first()
  if (existing) return existing.role === 'parent' ? { user: existing, created: false } : null
  // The accounts module's own name ("elodie.martin"), made unique with indexed look-ups: its
  // fallback scans every username with LIKE, which a 10,000-family import cannot afford.
  const username = await freeUsername(usernameBase(fullName), client)
  const user = await accountService.createPendingAccount({ username, email: normalized, fullName, role: 'parent' }, client)
  return { user, created: true }
}

/**
 * ensureParentAccount for many guardians (the family import), with the same outcome as calling it
 * for each in turn: an email met twice gets one account, usernames are given in the same order.
 * Results come in the requests' order.
 */
export async function ensureParentAccounts(
  requests: Array<{ email: string; fullName: string }>,
  client?: TransactionClientContract
): Promise<Array<{ user: AccountRef; created: boolean } | null>> {
  const existing = await accountService.accountsByEmail(
    requests.map((request) => request.email),
    client
  )
  const results: Array<{ user: AccountRef; created: boolean } | null> = []
  const toCreate: Array<{ email: string; fullName: string; index: number }> = []
  const creating = new Set<string>()
  for (const [index, request] of requests.entries()) {
    const email = request.email.trim().toLowerCase()
    const user = existing.get(email)
    results.push(user ? (user.role === 'parent' ? { user, created: false } : null) : null)
    if (user || creating.has(email)) continue
    creating.add(email)
    toCreate.push({ email, fullName: request.fullName, index })
  }
  const created = new Map<string, AccountRef>()
  const usernames = await freeUsernames(
    toCreate.map((request) => usernameBase(request.fullName)),
    client
  )
  const users = await accountService.createPendingAccounts(
    toCreate.map((request, n) => ({ username: usernames[n], email: request.email, fullName: request.fullName, role: 'parent' })),
    client
  )
  users.forEach((user, n) => created.set(toCreate[n].email, user))
  const firsts = new Set(toCreate.map((request) => request.index))
  for (const [index, request] of requests.entries()) {
    const user = created.get(request.email.trim().toLowerCase())
    if (user) results[index] = { user, created: firsts.has(index) }
  }
  return results
}

/** freeUsername for a list, in order: a name given to one is taken for the next. */
async function freeUsernames(wanted: string[], client: TransactionClientContract | undefined): Promise<string[]> {
  const taken = new Set<string>()
  const checked = new Set<string>()
  const check = async (names: string[]) => {
    const fresh = [...new Set(names)].filter((name) => !checked.has(name))
    for (const name of await accountService.takenUsernames(fresh, client)) taken.add(name)
    for (const name of fresh) checked.add(name)
  }
  const candidate = (base: string, n: number) => (n === 1 ? base : `${base}${n}`)
  const bases = wanted.map((name) => name.slice(0, 76))
  await check(bases.flatMap((base) => [1, 2, 3].map((n) => candidate(base, n))))
  const names: string[] = []
  for (const base of bases) {
    for (let n = 1; ; n++) {
      const name = candidate(base, n)
      if (!checked.has(name)) await check(Array.from({ length: 16 }, (_, i) => candidate(base, n + i)))
      if (taken.has(name)) continue
      taken.add(name)
      names.push(name)
      break
    }
  }
  return names
}

async function freeUsername(wanted: string, client?: TransactionClientContract): Promise<string> {
  const base = wanted.slice(0, 76)
  let candidate = base
  for (let n = 2; await User.query({ client }).where('username', candidate).first(); n++) candidate = `${base}${n}`
  return candidate
}

/** Mails the activation link to a pending account with an email; false otherwise. */
export async function sendActivationLink(user: User): Promise<boolean> {
  if (user.state !== 'pending' || !user.email) return false
  await accountService.sendActivation(user)
  return true
}
