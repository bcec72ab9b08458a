import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { storeUpload, UploadRefused } from '#services/upload_service'
import { formatDate } from '#core/format'
import { familyService, historyService, type FamilyDocument } from '#modules/dossier/index'
import Booking from '#modules/planning/models/booking'
import settingsService from '#modules/planning/services/settings_service'
import { isBeforeDeadline, PARIS } from '#modules/planning/services/deadline_rules'
import { familyOf } from '#modules/dossier/index'
import { absenceValidator } from '#modules/planning/validators/planning'
import moduleRegistry from '#core/module_registry'

/** Days after the booked day during which an absence (and its certificate) may be declared. */
const DECLARATION_DAYS = 2

/** An absence on a booked day that can no longer be cancelled, with a medical certificate. */
export default class AbsencesController {
  async #booking(ctx: HttpContext) {
    const family = await familyOf(ctx)
    // another family's booking is a 404, like any row outside the family
    const booking = await Booking.query()
      .where('id', Number(ctx.params.id))
      .where('family_id', family?.id ?? 0)
      .preload('child')
      .preload('activityDay', (query) => query.preload('activity'))
      .firstOrFail()
    return { family: family!, booking }
  }

  async create(ctx: HttpContext) {
    const { booking } = await this.#booking(ctx)
    const state = await this.#state(booking)
    return ctx.view.render('planning::pages/absence', {
      booking,
      // Not `state`: Edge's compiled templates keep their data in a variable of that name.
      absenceState: state,
      // Too late to declare it: how else to bring the certificate (messaging: write to the service).
      tooLateCards: state === 'closed' ? await moduleRegistry.fillSlot('planning.absence.too-late', ctx) : [],
    })
  }

  async store(ctx: HttpContext) {
    const { family, booking } = await this.#booking(ctx)
    const { request, response, session, auth } = ctx
    const state = await this.#state(booking)
    if (state !== 'open') {
      session.flash('alert.error', state === 'cancellable' ? "Ce jour peut encore être annulé : décochez-le dans le planning." : "Le délai pour déclarer cette absence est dépassé : écrivez au service par la messagerie.")
      return response.redirect().toRoute('planning.absences.create', { id: booking.id })
    }
    const data = await request.validateUsing(absenceValidator)
    let document: FamilyDocument | null = null
    let stored = null
    if (data.certificate) {
      try {
        stored = await storeUpload(data.certificate, `families/${family.id}/absences`)
      } catch (error) {
        if (error instanceof UploadRefused) {
          session.flash('inputErrorsBag', { certificate: [error.message] })
          session.flash('formError', error.message)
          return response.redirect().toRoute('planning.absences.create', { id: booking.id })
        }
        throw error
      }
    }
    const user = auth.getUserOrFail()
    const label = `${booking.activityDay.activity.name} du ${formatDate(booking.day)} (${booking.child.firstName})`
    await db.transaction(async (trx) => {
      if (stored) {
        document = await familyService.fileDocument(trx, {
          familyId: family.id,
          childId: booking.childId,
          category: 'justificatif_absence',
          file: stored,
          uploadedBy: user.id,
        })
      }
      booking.useTransaction(trx)
      booking.absenceDeclaredAt = DateTime.utc()
      booking.absenceReason = data.reason ?? null
      if (document) booking.absenceDocumentId = document.id
      booking.attendance = booking.absenceDocumentId ? 'justified' : 'absent'
      await booking.save()
      await historyService.record(
        family.id,
        {
          module: 'planning',
          kind: 'absence',
          text: `Absence déclarée : ${label}${document ? ' — justificatif joint' : ''}`,
          link: router.makeUrl('planning.summary'),
        },
        trx
      )
    })
    session.flash(
      'alert.success',
      document ? `Absence justifiée enregistrée : ${label}. Elle ne sera pas facturée.` : `Absence enregistrée : ${label}. Joignez un certificat médical dans les 48 heures pour qu'elle ne soit pas facturée.`
    )
    return response.redirect().toRoute('planning.summary', {}, { qs: { date: booking.day } })
  }

  /** 'cancellable' before the cancellation deadline, 'open' until two days after, then 'closed'. */
  async #state(booking: Booking): Promise<'cancellable' | 'open' | 'closed'> {
    const rules = await settingsService.rulesFor(booking.activityId)
    const now = DateTime.utc()
    if (isBeforeDeadline(rules.cancelDeadline, booking.day, now)) return 'cancellable'
    const limit = DateTime.fromISO(booking.day, { zone: PARIS }).plus({ days: DECLARATION_DAYS + 1 })
    return now < limit ? 'open' : 'closed'
  }
}
