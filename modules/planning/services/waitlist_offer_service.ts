import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import router from '@adonisjs/core/services/router'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { affectedRows } from '#core/sql_results'
import { dbTime, dbTimeOf } from '#core/db_time'
import { historyService, Child } from '#modules/dossier/index'
import { Activity, registrationQueryService } from '#modules/inscriptions/index'
import Booking from '#modules/planning/models/booking'
import WaitlistOffer from '#modules/planning/models/waitlist_offer'
import { closeOffer, lockDay } from '#modules/planning/services/waitlist_offers'
import { describeDay, type Actor } from '#modules/planning/services/booking_outcome'
import type { PlanningOfferMade, PlanningPromoted } from '#modules/planning/events'
import { directModels } from '#core/direct_sql'

export type OfferAnswer =
  | { status: 'booked'; bookingId: number }
  | { status: 'already_booked' }
  | { status: 'expired' }
  | { status: 'declined' }
  | { status: 'unavailable'; reason: 'closed' | 'not_registered' | 'withdrawn' }

/** A pending offer as the planning page lists it. */
export interface PendingOffer {
  id: number
  day: string
  expiresAt: DateTime
  activityName: string
  childFirstName: string
}

type Announcements = { offers: PlanningOfferMade[]; promoted: PlanningPromoted[] }

async function announce({ offers, promoted }: Announcements) {
  for (const event of promoted) await emitter.emit('planning:promoted', event)
  for (const event of offers) await emitter.emit('planning:offer-made', event)
}

/**
 * What a family does with an offered place (book it in one click, decline it), and the
 * expiry that passes it on: each in one transaction on the locked day, announced after commit.
 */
class WaitlistOfferService {
  /** The family's offer (404 for another family's). */
  async forFamily(familyId: number, offerId: number) {
    return WaitlistOffer.query()
      .where('id', offerId)
      .where('family_id', familyId)
      .preload('child')
      .preload('activityDay', (query) => query.preload('activity'))
      .firstOrFail()
  }

  /**
   * Pending offers of a family, soonest expiry first, with the names the planning page shows
   * (one query: the page asks on every view). One past its time passes on first, then they are
   * read again; the cron has usually passed it on already.
   */
  async pendingForFamily(familyId: number, now = DateTime.utc()): Promise<PendingOffer[]> {
    // Every month page asks: one statement written once for the driver, hydrated as the models.
    const read = () =>
      directModels(
        WaitlistOffer,
        'select planning_waitlist_offers.*, activities.name as activity_name, children.first_name as child_first_name ' +
          'from planning_waitlist_offers ' +
          'inner join activity_days on activity_days.id = planning_waitlist_offers.activity_day_id ' +
          'inner join activities on activities.id = activity_days.activity_id ' +
          'inner join children on children.id = planning_waitlist_offers.child_id ' +
          "where planning_waitlist_offers.family_id = ? and planning_waitlist_offers.status = 'pending' " +
          'order by planning_waitlist_offers.expires_at asc, planning_waitlist_offers.id asc',
        [familyId]
      )
    let offers = await read()
    if (offers.some((offer) => offer.expiresAt.toMillis() <= now.toMillis())) {
      await this.expireDue(now, { familyId })
      offers = await read()
    }
    return offers.map((offer) => ({
      id: offer.id,
      day: offer.day,
      expiresAt: offer.expiresAt,
      activityName: String(offer.$extras.activity_name),
      childFirstName: String(offer.$extras.child_first_name),
    }))
  }

  /** Pending offers on a day, by child (the staff's day sheet). */
  async pendingOnDay(dayId: number): Promise<Map<number, WaitlistOffer>> {
    const offers = await WaitlistOffer.query().where('activity_day_id', dayId).where('status', 'pending').preload('child')
    return new Map(offers.map((offer) => [offer.childId, offer]))
  }

  /** Books the offered day: once (a second click finds it accepted), only before its expiry. */
  async accept(familyId: number, offerId: number, actor: Actor, now = DateTime.utc()): Promise<OfferAnswer> {
    const announcements: Announcements = { offers: [], promoted: [] }
    const answer = await db.transaction(async (trx) => {
      const { offer, day } = await this.#locked(familyId, offerId, trx)
      if (offer.status !== 'pending') return this.#answerFor(offer)
      const refusal = await this.#refusal(offer, now, day.closed, trx)
      if (refusal) {
        const { next } = await closeOffer(offer, refusal.status === 'expired' ? 'expired' : 'withdrawn', now, trx)
        if (next) announcements.offers.push(next)
        return refusal
      }
      const claimed = affectedRows(
        await trx.from('planning_waitlist_offers').where('id', offer.id).where('status', 'pending').update({ status: 'accepted', decided_at: dbTimeOf(trx, now) })
      )
      if (claimed !== 1) return { status: 'already_booked' as const }
      // the place was held on the day's counter when the offer was made: no counter changes here
      const booking = await Booking.create(
        {
          activityDayId: offer.activityDayId,
          activityId: offer.activityId,
          childId: offer.childId,
          familyId,
          day: offer.day,
          ageGroup: offer.ageGroup,
          late: false,
          forced: false,
          source: 'waitlist',
          bookedBy: actor.id,
          onBehalfReason: null,
        },
        { client: trx }
      )
      await trx.from('planning_waitlist_offers').where('id', offer.id).update({ booking_id: booking.id })
      await trx.from('planning_waitlist_entries').where('activity_day_id', offer.activityDayId).where('child_id', offer.childId).delete()
      const activity = await Activity.query({ client: trx }).where('id', offer.activityId).firstOrFail()
      const child = await Child.query({ client: trx }).where('id', offer.childId).firstOrFail()
      await historyService.record(
        familyId,
        {
          module: 'planning',
          kind: 'waitlist-promoted',
          text: `Place obtenue depuis la liste d'attente : ${describeDay(activity.name, offer.day, child.firstName)}`,
          link: router.makeUrl('planning.index'),
        },
        trx
      )
      announcements.promoted.push({
        familyId,
        childFirstName: child.firstName,
        activityName: activity.name,
        date: offer.day,
        childId: offer.childId,
        activityId: offer.activityId,
        bookingId: booking.id,
      })
      return { status: 'booked' as const, bookingId: booking.id }
    })
    await announce(announcements)
    return answer
  }

  /** The family does not want the place: the next in line is offered it. */
  decline(familyId: number, offerId: number, now = DateTime.utc()): Promise<OfferAnswer> {
    return this.#close(familyId, offerId, 'declined', now)
  }

  /** Ends a pending offer without a booking (expired when its time is over): the place passes on. */
  async #close(familyId: number, offerId: number, reason: 'declined' | 'withdrawn', now: DateTime): Promise<OfferAnswer> {
    const announcements: Announcements = { offers: [], promoted: [] }
    const answer = await db.transaction(async (trx): Promise<OfferAnswer> => {
      const { offer } = await this.#locked(familyId, offerId, trx)
      if (offer.status !== 'pending') return this.#answerFor(offer)
      const status: 'expired' | 'declined' | 'withdrawn' = offer.expiresAt.toMillis() <= now.toMillis() ? 'expired' : reason
      const { next } = await closeOffer(offer, status, now, trx)
      if (next) announcements.offers.push(next)
      return status === 'withdrawn' ? { status: 'unavailable', reason: 'withdrawn' } : { status }
    })
    await announce(announcements)
    return answer
  }

  /**
   * Declines a child's pending offer on a day (the family took the child off the waiting
   * list): the place passes to the next in line. False when there was none.
   */
  async declineFor(familyId: number, childId: number, dayId: number, now = DateTime.utc()): Promise<boolean> {
    const offer = await WaitlistOffer.query().where('family_id', familyId).where('child_id', childId).where('activity_day_id', dayId).where('status', 'pending').first()
    if (!offer) return false
    const answer = await this.decline(familyId, offer.id, now)
    return answer.status === 'declined' || answer.status === 'expired'
  }

  /**
   * Withdraws the places held for a child of the family from a day on (of one activity, or all):
   * its registration or the shared custody ended. The places pass on.
   */
  async withdrawFrom(familyId: number, childId: number, fromDay: string, activityId?: number, now = DateTime.utc()): Promise<number> {
    const query = WaitlistOffer.query().where('family_id', familyId).where('child_id', childId).where('day', '>=', fromDay).where('status', 'pending')
    if (activityId) query.where('activity_id', activityId)
    const offers = await query
    for (const offer of offers) await this.#close(familyId, offer.id, 'withdrawn', now)
    return offers.length
  }

  /**
   * Passes on every pending offer whose time is over (the cron, and lazily when a day, a
   * family's planning or an offer is looked at). Returns how many expired.
   */
  async expireDue(now = DateTime.utc(), scope: { dayId?: number; familyId?: number; offerId?: number } = {}): Promise<number> {
    let expired = 0
    let afterId = 0
    for (;;) {
      const query = db.from('planning_waitlist_offers').where('status', 'pending').where('expires_at', '<=', dbTime(now)).where('id', '>', afterId)
      if (scope.dayId) query.where('activity_day_id', scope.dayId)
      if (scope.familyId) query.where('family_id', scope.familyId)
      if (scope.offerId) query.where('id', scope.offerId)
      const due = await query.orderBy('id').limit(200).select('id', 'family_id')
      if (!due.length) return expired
      for (const row of due) {
        const answer = await this.decline(Number(row.family_id), Number(row.id), now)
        if (answer.status === 'expired') expired += 1
      }
      afterId = Number(due[due.length - 1].id)
    }
  }

  /** The offer read again once its day is locked: a second click waits for the first and sees it accepted. */
  async #locked(familyId: number, offerId: number, trx: TransactionClientContract) {
    const read = () => WaitlistOffer.query({ client: trx }).where('id', offerId).where('family_id', familyId).firstOrFail()
    const day = await lockDay((await read()).activityDayId, trx)
    return { offer: await read(), day }
  }

  #answerFor(offer: WaitlistOffer): OfferAnswer {
    if (offer.status === 'accepted') return { status: 'already_booked' }
    if (offer.status === 'expired') return { status: 'expired' }
    if (offer.status === 'declined') return { status: 'declined' }
    return { status: 'unavailable', reason: 'withdrawn' }
  }

  /** Why a pending offer can no longer be booked, if it cannot. */
  async #refusal(offer: WaitlistOffer, now: DateTime, closed: boolean, trx: TransactionClientContract): Promise<OfferAnswer | null> {
    if (offer.expiresAt.toMillis() <= now.toMillis()) return { status: 'expired' }
    if (closed) return { status: 'unavailable', reason: 'closed' }
    if (!(await registrationQueryService.isRegisteredOn(offer.childId, offer.activityId, offer.day, trx))) {
      return { status: 'unavailable', reason: 'not_registered' }
    }
    const booked = await Booking.query({ client: trx }).where('activity_day_id', offer.activityDayId).where('child_id', offer.childId).first()
    return booked ? { status: 'unavailable', reason: 'withdrawn' } : null
  }
}

const waitlistOfferService = new WaitlistOfferService()
export default waitlistOfferService
