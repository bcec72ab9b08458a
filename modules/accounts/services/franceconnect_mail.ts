import mailer from '#services/mailer'
import { absoluteRoute } from '#core/absolute_url'
import type User from '#modules/accounts/models/user'
import tokens from '#modules/accounts/services/token_service'

export const LINK_CONFIRMATION_HOURS = 24

/** "c•••••••@demo.fr": enough for its owner to recognise the address, not to learn it. */
export function maskEmail(email: string) {
  const [local, domain] = email.split('@')
  return `${local.slice(0, 1)}${'•'.repeat(Math.max(3, local.length - 1))}@${domain}`
}

class FranceconnectMail {
  /** A single-use 24-hour link to the account's own address; the FranceConnect subject rides in the token. */
  async sendLinkConfirmation(user: User, sub: string) {
    const { token, expiresAt } = await tokens.issue(user.id, 'franceconnect_link', { hours: LINK_CONFIRMATION_HOURS }, { payload: sub })
    await mailer.send({
      to: user.email!,
      subject: 'Confirmez la connexion avec FranceConnect',
      html: 'accounts::emails/franceconnect_link',
      text: 'accounts::emails/franceconnect_link_text',
      data: { fullName: user.fullName, username: user.username, url: absoluteRoute('auth.franceconnect.confirm', { token }), expiresAt },
    })
  }
}

const franceconnectMail = new FranceconnectMail()
export default franceconnectMail
