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

/** `count` places at once, or none: true when the conditional UPDATE changed the row. */
async function takePlaces(trx: TransactionClientContract, activityId: number, count: number): Promise<boolean> {
  const result = await trx
    .from('activities')
    .where('id', activityId)
    .whereRaw('(places IS NULL OR registered_count + ? <= places)', [count])
    .update({ registered_count: trx.knexRawQuery('registered_count + ?', [count]) })
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

/**
 * Gives every free place to the waiting list, first in line first. The activity must be locked.
 * The places are taken in one UPDATE and those still waiting move up in another: one promotion at
 * a time renumbered the whole list after each, 100 places for 500 waiting were 50,000 row updates.
 */
export async function promoteWaiting(trx: TransactionClientContract, activityId: number, agent: Actor | null, notices: Notice[]) {
  const activity = await trx.from('activities').where('id', activityId).select('places', 'registered_count').first()
  if (!activity) return
  const free = activity.places === null ? null : Math.max(0, Number(activity.places) - Number(activity.registered_count))
  if (free === 0) return
  const inLine = Registration.query({ client: trx })
    .where('activity_id', activityId)
    .where('state', 'waiting')
    .orderBy('waiting_rank')
    .orderBy('id')
    .preload('activity')
    .preload('child')
  const promoted = free === null ? await inLine : await inLine.limit(free)
  if (!promoted.length) return
  if (!(await takePlaces(trx, activityId, promoted.length))) throw new Error(`activité ${activityId} : places prises pendant la promotion`)
  const lastRank = Math.max(...promoted.map((registration) => registration.waitingRank ?? 1))
  for (const registration of promoted) {
    await recordDecision(trx, registration, { state: 'validated', waitingRank: null, decidedBy: agent?.id ?? registration.decidedBy }, {
      kind: 'inscription-promoted',
      text: `Inscription validée : une place s'est libérée à l'activité ${registration.activity.name} (${registration.child.firstName})`,
    })
    notices.push({ registrationId: registration.id, event: 'inscription:promoted', mail: 'promoted' })
  }
  // Everyone still waiting was behind them: each moves up by the number promoted.
  await trx
    .from('registrations')
    .where('activity_id', activityId)
    .where('state', 'waiting')
    .where('waiting_rank', '>', lastRank)
    .decrement('waiting_rank', promoted.length)
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
