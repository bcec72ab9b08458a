import db from '@adonisjs/lucid/services/db'
import Registration from '#modules/inscriptions/models/registration'
import audit from '#services/audit_service'
import InscriptionRefusal from '#modules/inscriptions/services/inscription_refusal'
import { dispatchNotices, type Notice } from '#modules/inscriptions/services/registration_notices'
import { lockActivity, lockAndLoad, promoteWaiting, waitingCount } from '#modules/inscriptions/services/registration_places'
import type { Actor } from '#modules/inscriptions/services/registration_service'

/* The waiting list of an activity as the staff manage it: its order, and the places given to it. */

/** Moves a waiting registration to another rank; the reason goes to the audit log. */
export async function reorderWaiting(registrationId: number, newRank: number, agent: Actor, reason: string) {
  const trimmed = reason.trim()
  if (!trimmed) throw new InscriptionRefusal('Le motif du changement de rang est obligatoire.', 'reason')
  await db.transaction(async (trx) => {
    const registration = await lockAndLoad(trx, registrationId)
    if (registration.state !== 'waiting' || !registration.waitingRank) throw new InscriptionRefusal("Cette demande n'est pas en liste d'attente.")
    const size = await waitingCount(trx, registration.activityId)
    const from = registration.waitingRank
    const to = Math.min(Math.max(1, Math.floor(newRank)), size)
    if (from === to) return
    const others = trx.from('registrations').where('activity_id', registration.activityId).where('state', 'waiting').whereNot('id', registration.id)
    if (to < from) {
      await others.whereBetween('waiting_rank', [to, from - 1]).increment('waiting_rank', 1)
    } else {
      await others.whereBetween('waiting_rank', [from + 1, to]).decrement('waiting_rank', 1)
    }
    registration.waitingRank = to
    await registration.save()
    await audit.record(
      {
        actor: agent,
        action: 'inscriptions.waiting_list.reordered',
        subjectType: 'registration',
        subjectId: registration.id,
        details: {
          activityId: registration.activityId,
          from,
          to,
          reason: trimmed,
        },
      },
      trx
    )
  })
}

/** After the cap is raised: gives the new places to the waiting list, in order. */
export async function fillFromWaitingList(activityId: number, agent: Actor | null) {
  const notices: Notice[] = []
  await db.transaction(async (trx) => {
    await lockActivity(trx, activityId)
    await promoteWaiting(trx, activityId, agent, notices)
  })
  await dispatchNotices(notices)
  return notices.length
}

/** The waiting list of an activity, first in line first. */
export async function waitingList(activityId: number) {
  return Registration.query()
    .where('activity_id', activityId)
    .where('state', 'waiting')
    .preload('child')
    .preload('family')
    .orderBy('waiting_rank')
    .orderBy('id')
}

