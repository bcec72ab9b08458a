import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Sends the queued mails that are due now (the web server does it by itself every 15 s): for a
 * portal whose web server is stopped, or to see at once what a mail server does with them.
 */
export default class MailSendQueued extends BaseCommand {
  static commandName = 'mail:send-queued'
  static description = 'Envoie les courriels en file d’attente qui sont dus maintenant et dit ce qui reste'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: mailQueue } = await import('#services/mail_queue')
    const { plural } = await import('#core/french')
    await mailQueue.forgetGivenUp()
    await mailQueue.drain()
    const { sent, retried, failed } = mailQueue.outcomes
    const left = await mailQueue.counts()
    this.logger.log(`Envoyés : ${sent} — refusés, à réessayer plus tard : ${retried} — abandonnés : ${failed}`)
    this.logger.log(`Restent en file : ${left.waiting} (dont ceux à réessayer) ; abandonnés en tout : ${left.failed}`)
    if (left.failed) {
      this.logger.warning(
        `${plural(left.failed, 'courriel abandonné', 'courriels abandonnés')} après le dernier essai : voyez la table mail_queue (colonne last_error).`
      )
    }
    if (failed || retried) this.exitCode = 1
  }
}
