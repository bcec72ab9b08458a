import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import historyService from '#modules/dossier/services/history_service'
import { ensureParentAccounts } from '#modules/dossier/services/account_bridge'
import { accountService } from '#modules/accounts/index'
import type { FamilyPlan, Values } from '#modules/dossier/services/import/family_diff'
import { dbTime } from '#core/db_time'
import { insertMany } from '#core/bulk_insert'

/*
 * Writes the plans of a batch: bulk inserts (#core/bulk_insert) for what is new, one update per row that
 * changed, the accounts in one call to the accounts bridge, the history lines at once.
 */

async function updateRows(client: QueryClientContract, table: string, updates: Array<{ id: number; values: Values }>) {
  for (const { id, values } of updates) await client.from(table).where('id', id).update(values)
}

/** Writes a batch's plans; returns how many accounts were created. */
export async function writePlans(trx: TransactionClientContract, plans: FamilyPlan[]): Promise<number> {
  const now = dbTime()
  // Plans are built afresh for every attempt of a batch: their rows are completed in place.
  const stamped = (values: Values) => Object.assign(values, { created_at: now, updated_at: now })

  const created = plans.filter((plan) => plan.familyInsert)
  const ids = await insertMany(
    trx,
    'families',
    created.map((plan) => stamped(plan.familyInsert!)),
    ['id', 'reference']
  )
  const idOf = new Map(ids.map((row) => [row.reference as string, Number(row.id)]))
  for (const plan of created) plan.familyId = idOf.get(plan.reference)!
  await updateRows(
    trx,
    'families',
    plans.filter((plan) => plan.familyUpdate).map((plan) => ({ id: plan.familyId!, values: { ...plan.familyUpdate!, updated_at: now } }))
  )

  const needs = plans.flatMap((plan) => plan.accounts)
  const accounts = await ensureParentAccounts(needs, trx)
  const linked: Array<{ id: number; values: Values }> = []
  needs.forEach((need, index) => {
    const userId = accounts[index]?.user.id
    if (userId === undefined) return
    if (need.newGuardian) need.newGuardian.userId = userId
    else linked.push({ id: need.guardianId!, values: { user_id: userId } })
  })

  await insertMany(
    trx,
    'guardians',
    plans.flatMap((plan) => plan.newGuardians.map((guardian) => stamped(Object.assign(guardian.values, { family_id: plan.familyId, user_id: guardian.userId ?? null }))))
  )
  await updateRows(
    trx,
    'guardians',
    plans.flatMap((plan) => plan.guardianUpdates.map(({ id, values }) => ({ id, values: { ...values, updated_at: now } })))
  )
  await updateRows(trx, 'guardians', linked)

  await insertMany(
    trx,
    'children',
    plans.flatMap((plan) => plan.newChildren.map((values) => stamped(Object.assign(values, { family_id: plan.familyId }))))
  )
  await updateRows(
    trx,
    'children',
    plans.flatMap((plan) => plan.childUpdates.map(({ id, values }) => ({ id, values: { ...values, updated_at: now } })))
  )

  await historyService.recordMany(
    plans.flatMap((plan) => (plan.history ? [{ familyId: plan.familyId!, line: plan.history }] : [])),
    trx
  )
  return accounts.filter((account) => account?.created).length
}

/** What a dry run would create: guardians needing an account whose email has none yet. */
export async function countMissingAccounts(plans: FamilyPlan[]): Promise<number> {
  const needs = plans.flatMap((plan) => plan.accounts)
  const users = await accountService.accountsByEmail(needs.map((need) => need.email))
  return needs.filter((need) => !users.has(need.email.toLowerCase())).length
}
