import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import mailer from '#services/mailer'
import User from '#modules/accounts/models/user'
import accountService, { ACTIVATION_HOURS, normalizeEmail } from '#modules/accounts/services/account_service'
import tokens from '#modules/accounts/services/token_service'
import sessionService from '#modules/accounts/services/session_service'
import { invitationWait } from '#modules/accounts/services/login_throttle'

export interface ReadOnlyInvitation {
  /** The account this access had before (a re-invitation), if any. */
  userId: number | null
  email: string
  fullName: string
  inviterId: number
  inviterName: string
}

export type InvitationOutcome =
  /** `userId`: the account that activates by the link; null when the address already had another account (told by mail). */
  | { status: 'sent'; userId: number | null }
  | { status: 'wait'; seconds: number }

/**
 * Read-only accounts (role `pickup`) of the persons a guardian authorized to pick the children
 * up. They activate by the same single-use 96-hour link as any account, under the same password
 * rules; what they may see is the inviting module's business (#core/read_only_routes).
 */
class ReadOnlyAccounts {
  /**
   * Mails the invitation with a fresh activation link. The answer never says whether the address
   * already has an account: such an address gets a mail saying so, and nothing else happens.
   */
  async invite(input: ReadOnlyInvitation): Promise<InvitationOutcome> {
    const email = normalizeEmail(input.email)!
    const wait = await invitationWait(input.inviterId, email)
    if (wait) return { status: 'wait', seconds: wait }

    const previous = input.userId ? await User.find(input.userId) : null
    const owner = await User.findBy('email', email)
    if (owner && owner.id !== previous?.id) {
      await this.mail(email, 'accounts::emails/read_only_address_taken', { ...input, username: owner.username })
      return { status: 'sent', userId: null }
    }
    const user =
      previous?.isReadOnly === true
        ? previous.merge({ email, fullName: input.fullName, state: 'pending', password: null, activatedAt: null })
        : await accountService.createPendingAccount({ email, fullName: input.fullName, role: 'pickup' })
    await user.save()
    const link = await accountService.issueActivationLink(user)
    try {
      await this.mail(email, 'accounts::emails/read_only_invitation', {
        ...input,
        username: user.username,
        url: link.url,
        hours: ACTIVATION_HOURS,
        expiresAt: link.expiresAt,
      })
    } catch (error) {
      await tokens.revokeAll(user.id, 'activation')
      throw error
    }
    user.activationSentAt = DateTime.utc()
    await user.save()
    return { status: 'sent', userId: user.id }
  }

  /** Closes the access at once: no sign-in, no pending link, every session and remembered device ended. */
  async revoke(userId: number) {
    await db.from('users').where('id', userId).where('role', 'pickup').update({ state: 'disabled', password: null })
    await tokens.revokeAll(userId, 'activation')
    await sessionService.endSessions(userId)
  }

  private async mail(to: string, template: string, data: Record<string, unknown>) {
    await mailer.send({
      to,
      subject: 'Invitation à consulter les jours de garde des enfants',
      html: template,
      text: `${template}_text`,
      data,
    })
  }
}

const readOnlyAccounts = new ReadOnlyAccounts()
export default readOnlyAccounts
