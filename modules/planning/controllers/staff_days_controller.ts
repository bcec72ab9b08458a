import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { errors } from '@vinejs/vine'
import audit from '#services/audit_service'
import { AuthorizedPerson, custodyService } from '#modules/dossier/index'
import { Registration } from '#modules/inscriptions/index'
import ActivityDay, { AGE_GROUP_LABELS } from '#modules/planning/models/activity_day'
import Booking, { ATTENDANCE_LABELS, type Attendance } from '#modules/planning/models/booking'
import WaitlistEntry from '#modules/planning/models/waitlist_entry'
import bookingService from '#modules/planning/services/booking_service'
import waitlistOfferService from '#modules/planning/services/waitlist_offer_service'
import { cancelOnBehalfValidator, onBehalfValidator } from '#modules/planning/validators/planning'
import { actorOf } from '#modules/planning/controllers/family_access'
import { plural } from '#core/french'
import { chunks, groupBy } from '#core/chunks'
import { dbTimeOf } from '#core/db_time'

/** The day sheet: who comes (health notes, who may pick them up), attendance, waiting list, bookings on behalf. */
export default class StaffDaysController {
  async show({ params, view }: HttpContext) {
    const day = await ActivityDay.query().where('id', params.id).preload('activity').firstOrFail()
    const bookings = await Booking.query().where('activity_day_id', day.id).preload('child')
    bookings.sort((a, b) => a.child.lastName.localeCompare(b.child.lastName, 'fr') || a.child.firstName.localeCompare(b.child.firstName, 'fr'))
    const familyIds = [...new Set(bookings.map((b) => b.familyId))]
    const persons = familyIds.length ? await AuthorizedPerson.query().whereIn('family_id', familyIds).orderBy('last_name') : []
    // an offer whose time is over passes on before the sheet shows who holds it
    await waitlistOfferService.expireDue(DateTime.utc(), { dayId: day.id })
    const waiting = await WaitlistEntry.query().where('activity_day_id', day.id).preload('child').orderBy('id')
    const offers = await waitlistOfferService.pendingOnDay(day.id)
    const registered = await Registration.query()
      .where('activity_id', day.activityId)
      .where('state', 'validated')
      .where('start_date', '<=', day.day)
      .preload('child')
    const bookedIds = new Set(bookings.map((b) => b.childId))
    // Who may pick each family's children up, found by family (not by scanning every person for every child).
    const pickUpByFamily = groupBy(
      persons.filter((person) => person.mayPickUp),
      (person) => person.familyId
    )
    return view.render('planning::pages/staff/day', {
      day,
      bookings: bookings.map((booking) => ({
        booking,
        group: AGE_GROUP_LABELS[booking.ageGroup],
        persons: pickUpByFamily.get(booking.familyId) ?? [],
      })),
      waiting: waiting.map((entry, index) => ({ entry, rank: index + 1, group: AGE_GROUP_LABELS[entry.ageGroup], offer: offers.get(entry.childId) ?? null })),
      attendanceOptions: [
        { value: '', label: 'Non pointé' },
        ...Object.entries(ATTENDANCE_LABELS).map(([value, label]) => ({ value, label })),
      ],
      childOptions: registered
        .filter((r) => !bookedIds.has(r.childId))
        .sort((a, b) => a.child.lastName.localeCompare(b.child.lastName, 'fr'))
        .map((r) => ({ value: r.childId, label: `${r.child.lastName.toUpperCase()} ${r.child.firstName}` })),
    })
  }

  async attendance(ctx: HttpContext) {
    const { params, request, response, session } = ctx
    const day = await ActivityDay.findOrFail(params.id)
    const actor = actorOf(ctx)
    let changed = 0
    await db.transaction(async (trx) => {
      // Each booking whose attendance changes, grouped by its new value: one UPDATE a value, whatever the size of the day.
      const bookings = await trx.from('planning_bookings').where('activity_day_id', day.id).select('id', 'attendance')
      const changes: { id: number; value: Attendance | null }[] = []
      for (const booking of bookings) {
        const raw = request.input(`presence_${booking.id}`)
        if (raw === undefined) continue
        const value = (['present', 'absent', 'justified'].includes(raw) ? raw : null) as Attendance | null
        if (value !== (booking.attendance ?? null)) changes.push({ id: Number(booking.id), value })
      }
      const byValue = groupBy(changes, (change) => change.value)
      const now = dbTimeOf(trx)
      for (const [value, ofValue] of byValue) {
        const ids = ofValue.map((change) => change.id)
        for (const slice of chunks(ids, 1000)) {
          await trx.from('planning_bookings').whereIn('id', slice).update({ attendance: value, attendance_by: actor.id, attendance_at: now, updated_at: now })
        }
        changed += ids.length
      }
      if (changed) {
        await audit.record({ actor, action: 'planning.attendance.taken', subjectType: 'activity_day', subjectId: day.id, details: { changed } }, trx)
      }
    })
    session.flash('alert.success', `Présences enregistrées (${plural(changed, 'modification')}).`)
    return response.redirect().toRoute('planning.staff.day', { id: day.id })
  }

  async bookOnBehalf(ctx: HttpContext) {
    const { params, request, response, session } = ctx
    const day = await ActivityDay.findOrFail(params.id)
    const data = await request.validateUsing(onBehalfValidator)
    const registration = await Registration.query().where('activity_id', day.activityId).where('child_id', data.child_id).orderBy('id', 'desc').first()
    if (!registration) {
      session.flash('alert.error', "Cet enfant n'est pas inscrit à l'activité.")
      return response.redirect().toRoute('planning.staff.day', { id: day.id })
    }
    // under shared custody the day is booked for the household whose week it is
    const acting = (await custodyService.actingChildren(registration.familyId, [data.child_id])).get(data.child_id)
    const outcome = await bookingService.book(acting ? acting.householdOn(day.day) : registration.familyId, data.child_id, day.id, {
      as: 'staff',
      actor: actorOf(ctx),
      reason: data.reason,
      overCapacity: Boolean(data.over_capacity),
    })
    session.flash(outcome.ok ? 'alert.success' : 'alert.error', outcome.message)
    return response.redirect().toRoute('planning.staff.day', { id: day.id })
  }

  async cancelOnBehalf(ctx: HttpContext) {
    const { params, request, response, session } = ctx
    const day = await ActivityDay.findOrFail(params.id)
    const { booking_id: bookingId, reason } = await request.validateUsing(cancelOnBehalfValidator)
    const booking = await Booking.query().where('activity_day_id', day.id).where('id', bookingId).first()
    if (!booking) throw new errors.E_VALIDATION_ERROR([{ field: 'booking_id', message: "Cet enfant n'a pas ou plus de réservation ce jour-là.", rule: 'exists' }])
    const outcome = await bookingService.cancel(booking.familyId, booking.childId, day.id, { as: 'staff', actor: actorOf(ctx), reason })
    session.flash(outcome.ok ? 'alert.success' : 'alert.error', outcome.message)
    return response.redirect().toRoute('planning.staff.day', { id: day.id })
  }

  async toggleClosed(ctx: HttpContext) {
    const { params, request, response, session } = ctx
    const day = await ActivityDay.findOrFail(params.id)
    day.closed = !day.closed
    day.closedReason = day.closed ? String(request.input('reason', '')).trim().slice(0, 200) || 'Fermeture exceptionnelle' : null
    await day.save()
    await audit.record({ actor: actorOf(ctx), action: day.closed ? 'planning.day.closed' : 'planning.day.reopened', subjectType: 'activity_day', subjectId: day.id, details: { reason: day.closedReason } })
    session.flash('alert.success', day.closed ? 'Journée fermée aux réservations.' : 'Journée rouverte aux réservations.')
    return response.redirect().toRoute('planning.staff.day', { id: day.id })
  }
}
