import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import Activity from '#modules/inscriptions/models/activity'
import type Registration from '#modules/inscriptions/models/registration'
import { historyService } from '#modules/dossier/index'
import audit from '#services/audit_service'
import { formatDate } from '#core/format'
import { addDays } from '#core/calendar_day'
import InscriptionRefusal from '#modules/inscriptions/services/inscription_refusal'
import { todayIso } from '#modules/inscriptions/services/calendar'
import { dispatchNotices, type Notice } from '#modules/inscriptions/services/registration_notices'
import { closeRank, lockAndLoad, namesOf, promoteWaiting, releasePlace } from '#modules/inscriptions/services/registration_places'
import { tooLateSentence } from '#modules/inscriptions/services/registration_sentences'
import type { Actor } from '#modules/inscriptions/services/registration_service'

/* A registration withdrawn, cancelled or ended, by its family or by the service (registrationService.cancel). */

export type CancellationPlan =
  { kind: 'withdraw' } | { kind: 'cancel' } | { kind: 'end'; endDate: string } | { kind: 'too-late'; deadlineDays: number }

/**
 * What a parent may do with a registration today. A request or a waiting one may always be
 * withdrawn. A validated one may be cancelled while its first day is at least
 * `cancellation_deadline_days` days away, or ended (last day = today + deadline − 1) while the
 * activity goes on after that; past it, only the service can (a message to it).
 */
export function cancellationPlan(registration: Registration, activity: Activity, today: string = todayIso()): CancellationPlan {
  if (registration.state === 'requested' || registration.state === 'waiting') return { kind: 'withdraw' }
  const lastDay = addDays(today, activity.cancellationDeadlineDays - 1)
  if (lastDay < registration.startDate) return { kind: 'cancel' }
  const until = registration.endDate && registration.endDate < activity.endsOn ? registration.endDate : activity.endsOn
  if (lastDay < until) return { kind: 'end', endDate: lastDay }
  return {
    kind: 'too-late',
    deadlineDays: activity.cancellationDeadlineDays,
  }
}

/**
 * Cancels (or ends) a registration. A parent is held to the deadline; the service is not (a
 * running registration then ends yesterday). A freed place goes to the first in line.
 */
export async function cancelRegistration(registrationId: number, by: { actor: Actor; staff: boolean; familyId?: number }, now = DateTime.now()) {
  const notices: Notice[] = []
  const today = todayIso(now)
  const result = await db.transaction(async (trx) => {
    const registration = await lockAndLoad(trx, registrationId)
    if (!by.staff && registration.familyId !== by.familyId) throw new InscriptionRefusal("Cette inscription n'est pas dans votre dossier.")
    if (!registration.isActive) throw new InscriptionRefusal(`Cette inscription est déjà ${registration.stateLabel}.`)
    const activity = await Activity.findOrFail(registration.activityId, {
      client: trx,
    })
    let plan = cancellationPlan(registration, activity, today)
    if (by.staff && registration.state === 'validated') {
      plan = registration.startDate >= today ? { kind: 'cancel' } : { kind: 'end', endDate: addDays(today, -1) }
    }
    if (plan.kind === 'too-late') throw new InscriptionRefusal(tooLateSentence(plan.deadlineDays))
    const previous = registration.state
    const rank = registration.waitingRank
    registration.merge({
      state: 'cancelled',
      activeKey: null,
      waitingRank: null,
      endDate: plan.kind === 'end' ? plan.endDate : registration.endDate,
      cancelledAt: DateTime.utc(),
      ...(by.staff ? { decidedBy: by.actor.id, decidedAt: DateTime.utc() } : {}),
    })
    await registration.save()
    if (previous === 'waiting' && rank) await closeRank(trx, registration.activityId, rank)
    const { child } = await namesOf(registration)
    const subject = `l'activité ${activity.name} (${child.firstName})`
    const text =
      plan.kind === 'withdraw'
        ? `Retrait de la demande d'inscription à ${subject}`
        : plan.kind === 'end'
          ? `Fin de l'inscription à ${subject} après le ${formatDate(plan.endDate)}`
          : `Annulation de l'inscription à ${subject}`
    await historyService.record(
      registration.familyId,
      {
        module: 'inscriptions',
        kind: 'inscription-cancelled',
        text: by.staff ? `${text}, par ${by.actor.fullName}` : text,
        link: router.makeUrl('inscriptions.index'),
      },
      trx
    )
    if (by.staff) {
      await audit.record(
        {
          actor: by.actor,
          action: 'inscriptions.registration.cancelled',
          subjectType: 'registration',
          subjectId: registration.id,
          details: { previous, plan: plan.kind },
        },
        trx
      )
    }
    notices.push({
      registrationId: registration.id,
      event: 'inscription:cancelled',
      mail: by.staff ? 'cancelled' : undefined,
      reason: by.staff ? `Annulée par le service (${by.actor.fullName})` : 'Annulée par la famille',
    })
    if (previous === 'validated') {
      await releasePlace(trx, registration.activityId)
      await promoteWaiting(trx, registration.activityId, by.staff ? by.actor : null, notices)
    }
    return plan
  })
  await dispatchNotices(notices)
  return result
}
