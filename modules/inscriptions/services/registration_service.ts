import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Activity from '#modules/inscriptions/models/activity'
import Registration from '#modules/inscriptions/models/registration'
import { familyService, historyService } from '#modules/dossier/index'
import audit from '#services/audit_service'
import { formatDate } from '#core/format'
import InscriptionRefusal from '#modules/inscriptions/services/inscription_refusal'
import { entryWindow, fitsOn, registrationOpen } from '#modules/inscriptions/services/eligibility'
import { todayIso } from '#modules/inscriptions/services/calendar'
import { isCalendarDay } from '#core/calendar_day'
import type {} from '#modules/inscriptions/events'
import { de } from '#core/french'
import { isUniqueViolation } from '#core/sql_results'
import { dispatchNotices, type Notice } from '#modules/inscriptions/services/registration_notices'
import router from '@adonisjs/core/services/router'
import { closeRank, lockAndLoad, namesOf, placeRegistration, promoteWaiting, releasePlace } from '#modules/inscriptions/services/registration_places'
import { fillFromWaitingList, reorderWaiting, waitingList } from '#modules/inscriptions/services/registration_waiting_list'
import { alreadyDecided, duplicateSentence } from '#modules/inscriptions/services/registration_sentences'
import { cancellationPlan, cancelRegistration } from '#modules/inscriptions/services/registration_cancellation'

export type { CancellationPlan } from '#modules/inscriptions/services/registration_cancellation'

export interface Actor {
  id: number
  fullName: string
}

/**
 * The rules of registrations: requests, staff decisions, waiting list and cancellations.
 * Every change runs in one transaction that locks the activity row first; a place is taken only
 * by one conditional UPDATE whose affected row count says whether it was free.
 */
class RegistrationService {
  /** Checks a parent's request without saving it; throws an InscriptionRefusal naming the field. */
  async checkRequest(
    input: {
      familyId: number
      childId: number
      activityId: number
      startDate: string
    },
    now = DateTime.now()
  ) {
    const child = await familyService.childOf(input.familyId, input.childId)
    if (!child) throw new InscriptionRefusal("Cet enfant n'appartient pas à votre dossier.", 'childId')
    const activity = await Activity.find(input.activityId)
    if (!activity) throw new InscriptionRefusal("Cette activité n'existe pas.", 'activityId')
    const today = todayIso(now)
    if (activity.endsOn < today) throw new InscriptionRefusal('Cette activité est terminée.', 'activityId')
    if (!registrationOpen(activity, now)) {
      const opens = activity.registrationOpensAt && now < activity.registrationOpensAt
      throw new InscriptionRefusal(
        opens
          ? `Les inscriptions à cette activité ouvrent le ${formatDate(activity.registrationOpensAt)}.`
          : `Les inscriptions à cette activité sont closes depuis le ${formatDate(activity.registrationClosesAt)}.`,
        'activityId'
      )
    }
    const window = entryWindow(activity, child, today)
    if (!window) throw new InscriptionRefusal(`Cette activité ne correspond pas à l'âge ou à la classe ${de(child.firstName)}.`, 'activityId')
    if (!isCalendarDay(input.startDate)) throw new InscriptionRefusal("Cette date n'est pas valide (format attendu : JJ/MM/AAAA).", 'startDate')
    if (input.startDate < window.from || input.startDate > window.to || !fitsOn(activity, child, input.startDate)) {
      throw new InscriptionRefusal(
        `Choisissez une date entre le ${formatDate(window.from)} et le ${formatDate(window.to)} : ${
          window.from > activity.startsOn && window.from > today
            ? `${child.firstName} a l'âge requis à partir du ${formatDate(window.from)}`
            : "la période de l'activité"
        }.`,
        'startDate'
      )
    }
    const existing = await Registration.query().where('child_id', child.id).where('activity_id', activity.id).whereNotNull('active_key').first()
    if (existing) throw new InscriptionRefusal(duplicateSentence(child, existing.state), 'activityId')
    return { child, activity }
  }

  /** A parent's request; validated at once when the activity accepts automatically and has room. */
  async request(
    input: {
      familyId: number
      childId: number
      activityId: number
      startDate: string
      user: Actor
    },
    now = DateTime.now()
  ) {
    const { child, activity } = await this.checkRequest(input, now)
    const notices: Notice[] = []
    let registration: Registration
    try {
      registration = await db.transaction(async (trx) => {
        const created = await Registration.create(
          {
            familyId: input.familyId,
            childId: child.id,
            activityId: activity.id,
            state: 'requested',
            activeKey: 1,
            startDate: input.startDate,
            requestedBy: input.user.id,
          },
          { client: trx }
        )
        await historyService.record(
          input.familyId,
          {
            module: 'inscriptions',
            kind: 'inscription-requested',
            text: `Demande d'inscription à l'activité ${activity.name} (${child.firstName})`,
            link: router.makeUrl('inscriptions.index'),
          },
          trx
        )
        notices.push({
          registrationId: created.id,
          event: 'inscription:requested',
        })
        if (activity.autoAccept) await placeRegistration(trx, created.id, null, notices)
        return created
      })
    } catch (error) {
      if (isUniqueViolation(error)) throw new InscriptionRefusal(duplicateSentence(child, 'requested'), 'activityId')
      throw error
    }
    await dispatchNotices(notices)
    await registration.refresh()
    return registration
  }

  /** Staff validation: a place if one is free, else the end of the waiting list. */
  async validate(registrationId: number, agent: Actor): Promise<'validated' | 'waiting'> {
    const notices: Notice[] = []
    const outcome = await db.transaction(async (trx) => {
      const registration = await lockAndLoad(trx, registrationId)
      if (registration.state !== 'requested') throw new InscriptionRefusal(alreadyDecided(registration.state))
      const result = await placeRegistration(trx, registration.id, agent, notices)
      await audit.record(
        {
          actor: agent,
          action: `inscriptions.registration.${result}`,
          subjectType: 'registration',
          subjectId: registration.id,
        },
        trx
      )
      return result
    })
    await dispatchNotices(notices)
    return outcome
  }

  /** Staff refusal with its reason; a validated registration refused frees its place. */
  async refuse(registrationId: number, agent: Actor, reason: string) {
    const trimmed = reason.trim()
    if (!trimmed) throw new InscriptionRefusal('Le motif du refus est obligatoire.', 'reason')
    const notices: Notice[] = []
    await db.transaction(async (trx) => {
      const registration = await lockAndLoad(trx, registrationId)
      if (!registration.isActive) throw new InscriptionRefusal(alreadyDecided(registration.state))
      const previous = registration.state
      const rank = registration.waitingRank
      registration.merge({
        state: 'refused',
        activeKey: null,
        refusalReason: trimmed.slice(0, 500),
        waitingRank: null,
        decidedBy: agent.id,
        decidedAt: DateTime.utc(),
      })
      await registration.save()
      if (previous === 'waiting' && rank) await closeRank(trx, registration.activityId, rank)
      const { activity, child } = await namesOf(registration)
      await historyService.record(
        registration.familyId,
        {
          module: 'inscriptions',
          kind: 'inscription-refused',
          text: `Demande d'inscription à l'activité ${activity.name} (${child.firstName}) refusée par ${agent.fullName} : ${trimmed}`,
          link: router.makeUrl('inscriptions.index'),
        },
        trx
      )
      await audit.record(
        {
          actor: agent,
          action: 'inscriptions.registration.refused',
          subjectType: 'registration',
          subjectId: registration.id,
          details: { reason: trimmed, previous },
        },
        trx
      )
      notices.push({
        registrationId: registration.id,
        event: 'inscription:refused',
        mail: 'refused',
        reason: trimmed,
      })
      if (previous === 'validated') {
        await releasePlace(trx, registration.activityId)
        await promoteWaiting(trx, registration.activityId, agent, notices)
      }
    })
    await dispatchNotices(notices)
  }

  /** What a parent may do with a registration today (registration_cancellation.ts). */
  cancellationPlan = cancellationPlan

  /** Cancels (or ends) a registration (registration_cancellation.ts). */
  cancel = cancelRegistration

  /** Moves a waiting registration to another rank; the reason goes to the audit log. */
  reorderWaiting = reorderWaiting

  /** After the cap is raised: gives the new places to the waiting list, in order. */
  fillFromWaitingList = fillFromWaitingList

  /** The waiting list of an activity, first in line first. */
  waitingList = waitingList
}

const registrationService = new RegistrationService()
export default registrationService
