import mail from '@adonisjs/mail/services/main'
import communeSettings from '#services/commune_settings'
import portalConfig from '#config/portal'

export interface PortalMail {
  to: string
  subject: string
  /** Edge templates, e.g. 'accounts::emails/activation' (+ '_text' for the text part). */
  html: string
  text: string
  data?: Record<string, unknown>
}

/**
 * Every mail of the portal: in French, with the commune's identity and the public address
 * available to the templates. Mailer name optional (a pooled SMTP for mailings).
 */
class Mailer {
  async send(message: PortalMail) {
    const commune = await communeSettings.get()
    const data = { commune, appUrl: portalConfig.appUrl, ...message.data }
    return mail.send((m) => {
      m.to(message.to)
        .subject(`${message.subject} — ${commune.name}`)
        .htmlView(message.html, data)
        .textView(message.text, data)
    })
  }
}

const mailer = new Mailer()
export default mailer
