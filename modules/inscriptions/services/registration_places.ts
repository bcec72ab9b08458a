import { DateTime } from 'luxon'
import router from '@adonisjs/core/services/router'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Registration from '#modules/inscriptions/models/registration'
import { historyService } from '#modules/dossier/index'
import InscriptionRefusal from '#modules/inscriptions/services/inscription_refusal'
import { affectedRows } from '#core/sql_results'
import type { Notice } from '#modules/inscriptions/services/registration_notices'
import type { Actor } from '#modules/inscriptions/services/registration_service'

/*
 * The places of an activity, inside a decision's transaction: the activity row locked first,
 * a place taken only by one conditional UPDATE, the waiting list served in order.
 */

/** Locks the activity row (PostgreSQL row lock, SQLite write lock) so decisions on one activity queue up. */
export async function lockActivity(trx: TransactionClientContract, activityId: number) {
  await trx
    .from('activities')
    .where('id', activityId)
    .update({ registered_count: trx.knexRawQuery('registered_count') })
}

/** Locks the registration's activity, then reads the registration as committed by others. */
export async function lockAndLoad(trx: TransactionClientContract, registrationId: number) {
  const first = await trx.from('registrations').where('id', registrationId).select('activity_id').first()
  if (!first) throw new InscriptionRefusal("Cette demande n'existe pas.")
  await lockActivity(trx, first.activity_id)
  return Registration.query({ client: trx }).where('id', registrationId).firstOrFail()
}

/** The one way to take a place: true when the conditional UPDATE changed the row. */
export async function takePlace(trx: TransactionClientContract, activityId: number): Promise<boolean> {
  const result = await trx
    .from('activities')
    .where('id', activityId)
    .whereRaw('(places IS NULL OR registered_count < places)')
    .update({ registered_count: trx.knexRawQuery('registered_count + 1') })
  return affectedRows(result) === 1
}

export async function releasePlace(trx: TransactionClientContract, activityId: number) {
  await trx
    .from('activities')
    .where('id', activityId)
    .where('registered_count', '>', 0)
    .update({ registered_count: trx.knexRawQuery('registered_count - 1') })
}

export async function waitingCount(trx: TransactionClientContract, activityId: number): Promise<number> {
  const row = await trx.from('registrations').where('activity_id', activityId).where('state', 'waiting').count('* as total').first()
  return Number(row?.total ?? 0)
}

/** Closes the gap a registration leaves at `rank` in the waiting list. */
export async function closeRank(trx: TransactionClientContract, activityId: number, rank: number) {
  await trx
    .from('registrations')
    .where('activity_id', activityId)
    .where('state', 'waiting')
    .where('waiting_rank', '>', rank)
    .decrement('waiting_rank', 1)
}

export async function namesOf(registration: Registration) {
  await registration.load((loader) => loader.load('activity').load('child'))
  return { activity: registration.activity, child: registration.child }
}

/**
 * Validates a requested registration when a place is free (the waiting list served first),
 * else puts it at the end of the waiting list. The activity must be locked (lockActivity).
 */
export async function placeRegistration(
  trx: TransactionClientContract,
  registrationId: number,
  agent: Actor | null,
  notices: Notice[]
): Promise<'validated' | 'waiting'> {
  const registration = await Registration.query({ client: trx }).where('id', registrationId).firstOrFail()
  await lockActivity(trx, registration.activityId)
  await promoteWaiting(trx, registration.activityId, agent, notices)
  const { activity, child } = await namesOf(registration)
  const by = agent ? ` par ${agent.fullName}` : ''
  if (await takePlace(trx, registration.activityId)) {
    await recordDecision(trx, registration, { state: 'validated', waitingRank: null, decidedBy: agent?.id ?? null }, {
      kind: 'inscription-validated',
      text: `Inscription validée${by} : activité ${activity.name} (${child.firstName})`,
    })
    notices.push({
      registrationId,
      event: 'inscription:validated',
      mail: 'validated',
    })
    return 'validated'
  }
  const rank = (await waitingCount(trx, registration.activityId)) + 1
  await recordDecision(trx, registration, { state: 'waiting', waitingRank: rank, decidedBy: agent?.id ?? null }, {
    kind: 'inscription-waiting',
    text: `Demande d'inscription à l'activité ${activity.name} (${child.firstName}) en liste d'attente, rang ${rank}${by}`,
  })
  notices.push({ registrationId, mail: 'waiting' })
  return 'waiting'
}

/** Gives every free place to the waiting list, first in line first. The activity must be locked. */
export async function promoteWaiting(trx: TransactionClientContract, activityId: number, agent: Actor | null, notices: Notice[]) {
  for (;;) {
    const first = await Registration.query({ client: trx })
      .where('activity_id', activityId)
      .where('state', 'waiting')
      .orderBy('waiting_rank')
      .orderBy('id')
      .first()
    if (!first) return
    if (!(await takePlace(trx, activityId))) return
    const rank = first.waitingRank ?? 1
    const { activity, child } = await namesOf(first)
    await recordDecision(trx, first, { state: 'validated', waitingRank: null, decidedBy: agent?.id ?? first.decidedBy }, {
      kind: 'inscription-promoted',
      text: `Inscription validée : une place s'est libérée à l'activité ${activity.name} (${child.firstName})`,
    })
    await closeRank(trx, activityId, rank)
    notices.push({
      registrationId: first.id,
      event: 'inscription:promoted',
      mail: 'promoted',
    })
  }
}

/** A decision on a registration, saved with its line in the family's history of requests. */
async function recordDecision(
  trx: TransactionClientContract,
  registration: Registration,
  decision: { state: 'validated' | 'waiting'; waitingRank: number | null; decidedBy: number | null },
  history: { kind: string; text: string }
) {
  registration.merge({ ...decision, decidedAt: DateTime.utc() })
  await registration.save()
  await historyService.record(
    registration.familyId,
    { module: 'inscriptions', kind: history.kind, text: history.text, link: router.makeUrl('inscriptions.index') },
    trx
  )
}
