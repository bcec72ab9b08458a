import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import mailer from '#services/mailer'
import User, { type UserRole } from '#modules/accounts/models/user'
import tokens from '#modules/accounts/services/token_service'
import { dbTime } from '#core/db_time'
import { insertMany } from '#core/bulk_insert'
import { directRead, listOf } from '#core/direct_sql'
import { absoluteRoute } from '#core/absolute_url'
import { asciiLetters } from '#core/french'

export const ACTIVATION_HOURS = 96
export const RESET_MINUTES = 60
export const EMAIL_CHANGE_HOURS = 24

export class AccountConflictError extends Error {
  constructor(
    message: string,
    public field: 'username' | 'email'
  ) {
    super(message)
    this.name = 'AccountConflictError'
  }
}

export interface PendingAccountInput {
  username?: string | null
  email: string | null
  fullName: string
  role: UserRole
  serviceIds?: number[]
}

/** "Élodie Martin-Durand" → "elodie.martin-durand", "Françoise Cœur" → "francoise.coeur" */
export function usernameBase(fullName: string): string {
  const base = asciiLetters(fullName)
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9-]+/g, '.')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+|[.-]+$/g, '')
    .slice(0, 60)
  return base || 'famille'
}

export function normalizeEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim().toLowerCase()
  return trimmed ? trimmed : null
}

/**
 * The accounts' public face for other modules (dossier's family import, staff creation,
 * portal:setup): accounts are created pending, then activated by a link sent by mail.
 */
class AccountService {
  async uniqueUsername(fullName: string, client?: TransactionClientContract): Promise<string> {
    const base = usernameBase(fullName)
    const taken = new Set(
      (
        await (client ?? db)
          .from('users')
          .where('username', base)
          .orWhere('username', 'like', `${base}%`)
          .select('username')
      ).map((row: { username: string }) => row.username)
    )
    if (!taken.has(base)) return base
    for (let suffix = 2; ; suffix++) {
      const candidate = `${base}${suffix}`
      if (!taken.has(candidate)) return candidate
    }
  }

  async createPendingAccount(input: PendingAccountInput, client?: TransactionClientContract): Promise<User> {
    const email = normalizeEmail(input.email)
    const fullName = input.fullName.trim()
    let username = input.username?.trim().toLowerCase() || null
    if (username && (await User.query({ client }).where('username', username).first())) {
      throw new AccountConflictError(`Le nom d'utilisateur « ${username} » est déjà pris.`, 'username')
    }
    if (email && (await User.query({ client }).where('email', email).first())) {
      throw new AccountConflictError(`L'adresse ${email} est déjà celle d'un autre compte.`, 'email')
    }
    username = username ?? (await this.uniqueUsername(fullName, client))
    const user = await User.create(
      { username, email, fullName, role: input.role, state: 'pending', password: null },
      { client }
    )
    if (input.serviceIds?.length) {
      await (client ?? db)
        .table('user_services')
        .multiInsert(input.serviceIds.map((serviceId) => ({ user_id: user.id, service_id: serviceId })))
    }
    return user
  }

  /** Which of these usernames (lowercased) accounts already hold: one query whatever their number. */
  async takenUsernames(usernames: string[], client?: TransactionClientContract): Promise<Set<string>> {
    if (!usernames.length) return new Set()
    const rows = await directRead('select username from users where username in (?)', [listOf(usernames)], client)
    return new Set(rows.map((row) => String(row.username)))
  }

  /** Accounts (id and role) by lowercased email: one query whatever the number of emails. */
  async accountsByEmail(emails: string[], client?: TransactionClientContract): Promise<Map<string, { id: number; role: UserRole }>> {
    const wanted = [...new Set(emails.map((email) => email.trim().toLowerCase()))]
    if (!wanted.length) return new Map()
    const rows = await directRead('select id, email, role from users where lower(email) in (?)', [listOf(wanted)], client)
    return new Map(rows.map((row) => [String(row.email).toLowerCase(), { id: Number(row.id), role: row.role as UserRole }]))
  }

  /**
   * createPendingAccount for many accounts at once (the family import): the same rows and
   * checks, in a few set-based queries. Every input names its username; the accounts come back
   * (id and role, no model) in the inputs' order.
   */
  async createPendingAccounts(
    inputs: Array<PendingAccountInput & { username: string }>,
    client?: TransactionClientContract
  ): Promise<Array<{ id: number; role: UserRole }>> {
    if (!inputs.length) return []
    const runner = client ?? db
    const rows = inputs.map((input) => ({
      username: input.username.trim().toLowerCase(),
      email: normalizeEmail(input.email),
      full_name: input.fullName.trim(),
      role: input.role,
    }))
    const usernames = rows.map((row) => row.username)
    const emails = rows.flatMap((row) => (row.email ? [row.email] : []))
    const seen = new Set<string>()
    for (const username of usernames) {
      if (seen.has(username)) throw new AccountConflictError(`Le nom d'utilisateur « ${username} » est déjà pris.`, 'username')
      seen.add(username)
    }
    const [taken] = await this.takenUsernames(usernames, client)
    if (taken) throw new AccountConflictError(`Le nom d'utilisateur « ${taken} » est déjà pris.`, 'username')
    const [used] = await directRead('select email from users where email in (?) limit 1', [listOf(emails)], client)
    if (used) throw new AccountConflictError(`L'adresse ${used.email} est déjà celle d'un autre compte.`, 'email')
    if (new Set(emails).size !== emails.length) {
      const twice = emails.find((email, index) => emails.indexOf(email) !== index)
      throw new AccountConflictError(`L'adresse ${twice} est déjà celle d'un autre compte.`, 'email')
    }
    const now = dbTime()
    const inserted = await insertMany(
      client ?? db.connection(),
      'users',
      rows.map((row) => ({ ...row, state: 'pending', password: null, created_at: now, updated_at: now })),
      ['id', 'username', 'role']
    )
    const byUsername = new Map(inserted.map((row) => [row.username as string, { id: Number(row.id), role: row.role as UserRole }]))
    const users = usernames.map((username) => byUsername.get(username)!)
    const services = inputs.flatMap((input, index) => (input.serviceIds ?? []).map((serviceId) => ({ user_id: users[index].id, service_id: serviceId })))
    if (services.length) await runner.table('user_services').multiInsert(services)
    return users
  }

  /** A fresh 96-hour single-use link; the older unused links of this account stop working. */
  async issueActivationLink(user: User, client?: TransactionClientContract): Promise<{ url: string; expiresAt: DateTime }> {
    const { token, expiresAt } = await tokens.issue(user.id, 'activation', { hours: ACTIVATION_HOURS }, { client })
    user.activationExpiresAt = expiresAt
    if (client) user.useTransaction(client)
    await user.save()
    return { url: absoluteRoute('accounts.activation', { token }), expiresAt }
  }

  /**
   * Mails a fresh activation link. When the mail cannot be sent, the link is withdrawn and
   * the account stays "never mailed", so a later run retries it.
   */
  async sendActivation(user: User): Promise<{ url: string; expiresAt: DateTime }> {
    if (!user.email) throw new Error("Ce compte n'a pas d'adresse électronique.")
    if (user.state !== 'pending') throw new Error("Ce compte n'est pas en attente d'activation.")
    const previous = { expiresAt: user.activationExpiresAt }
    const link = await this.issueActivationLink(user)
    try {
      await mailer.send({
        to: user.email,
        subject: 'Activez votre compte du Portail Famille',
        html: 'accounts::emails/activation',
        text: 'accounts::emails/activation_text',
        data: {
          fullName: user.fullName,
          username: user.username,
          url: link.url,
          hours: ACTIVATION_HOURS,
          expiresAt: link.expiresAt,
          isStaff: user.isStaff,
        },
      })
    } catch (error) {
      await tokens.revokeAll(user.id, 'activation')
      user.activationExpiresAt = previous.expiresAt
      await user.save()
      throw error
    }
    user.activationSentAt = DateTime.utc()
    await user.save()
    return link
  }

  async sendPasswordReset(user: User) {
    const { token, expiresAt } = await tokens.issue(user.id, 'password_reset', { minutes: RESET_MINUTES })
    await mailer.send({
      to: user.email!,
      subject: 'Réinitialisation de votre mot de passe',
      html: 'accounts::emails/password_reset',
      text: 'accounts::emails/password_reset_text',
      data: { fullName: user.fullName, username: user.username, url: absoluteRoute('auth.password.reset', { token }), expiresAt },
    })
  }

  async sendEmailChange(user: User, newEmail: string) {
    const { token, expiresAt } = await tokens.issue(user.id, 'email_change', { hours: EMAIL_CHANGE_HOURS }, { payload: newEmail })
    await mailer.send({
      to: newEmail,
      subject: 'Confirmez votre nouvelle adresse électronique',
      html: 'accounts::emails/email_change',
      text: 'accounts::emails/email_change_text',
      data: { fullName: user.fullName, username: user.username, url: absoluteRoute('account.email.confirm', { token }), expiresAt },
    })
  }

  /** Tells the former address that it no longer receives the portal's mails. */
  async notifyEmailChanged(user: User, oldEmail: string) {
    await mailer.send({
      to: oldEmail,
      subject: 'Votre adresse électronique a été changée',
      html: 'accounts::emails/email_changed',
      text: 'accounts::emails/email_changed_text',
      data: { fullName: user.fullName, username: user.username, newEmail: user.email },
    })
  }

  /** Pending accounts whose activation window closed more than `olderThanHours` ago. */
  expiredPendingQuery(olderThanHours = 0, now = DateTime.utc()) {
    return User.query()
      .where('state', 'pending')
      .whereNotNull('activationExpiresAt')
      .where('activationExpiresAt', '<', dbTime(now.minus({ hours: olderThanHours })))
      .orderBy('id')
  }

  /**
   * Deletes the login of an account never activated in time: its tokens and service links go
   * with it. A family file that points to it is kept and only loses the link: the modules that
   * point to accounts say so in their own keys (guardians.user_id is ON DELETE SET NULL).
   */
  async deleteLogin(user: User) {
    await db.from('users').where('id', user.id).delete()
  }
}

const accountService = new AccountService()
export default accountService
