import { flags } from '@adonisjs/core/ace'
import ModuleCommand from '#core/module_command'

export default class PlanningRemind extends ModuleCommand {
  static commandName = 'planning:remind'
  static description =
    "Rappelle aux familles inscrites qui n'ont rien réservé pour la semaine à venir de réserver avant la date limite (messagerie et email selon leurs préférences), une fois par famille, activité et semaine ; passe aussi à l'enfant suivant les places proposées dont le délai est dépassé. À lancer chaque jour."
  static module = 'planning'
  static help = ['  node ace planning:remind', '  node ace planning:remind --date 2026-09-07']

  @flags.string({ description: "Jour de référence AAAA-MM-JJ (par défaut aujourd'hui), pris à 7 h 00 heure de Paris" })
  declare date?: string

  async run() {
    const { DateTime } = await import('luxon')
    const { default: emitter } = await import('@adonisjs/core/services/emitter')
    const { plural } = await import('#core/french')
    const { default: bookingReminders } = await import('#modules/planning/services/booking_reminders')
    const { default: waitlistOfferService } = await import('#modules/planning/services/waitlist_offer_service')

    const day = this.date === undefined ? null : DateTime.fromISO(this.date, { zone: 'Europe/Paris' })
    if (day && !(/^\d{4}-\d{2}-\d{2}$/.test(this.date!) && day.isValid)) {
      this.logger.error(`--date : « ${this.date} » n'est pas une date (format attendu AAAA-MM-JJ, par exemple 2026-09-07). Aucun rappel n'a été envoyé.`)
      this.exitCode = 1
      return
    }
    const now = day ? day.set({ hour: 7 }).toUTC() : DateTime.utc()

    const expired = await waitlistOfferService.expireDue(now)
    if (expired) this.logger.info(`${plural(expired, 'place proposée expirée', 'places proposées expirées')} : proposées à l'enfant suivant de la liste d'attente.`)

    if (!emitter.hasListeners('planning:booking-reminders')) {
      this.logger.info("La messagerie est désactivée : aucun rappel ne peut être envoyé aux familles (rien n'a été noté comme envoyé).")
      return
    }
    const run = await bookingReminders.run(now, async (batch) => {
      await emitter.emit('planning:booking-reminders', { reminders: batch })
    })
    if (!run.sent) {
      this.logger.info(run.periods ? 'Aucune famille à rappeler : toutes ont réservé ou ont déjà reçu le rappel.' : "Aucune date limite de réservation n'approche : rien à rappeler.")
      return
    }
    this.logger.success(`${plural(run.sent, 'rappel envoyé', 'rappels envoyés')} (${plural(run.periods, 'activité', 'activités')}).`)
  }
}
