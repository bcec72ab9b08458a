import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import { readOnlyAccounts, User } from '#modules/accounts/index'
import moduleRegistry from '#core/module_registry'
import { dbTime } from '#core/db_time'
import type Family from '#modules/dossier/models/family'
import type AuthorizedPerson from '#modules/dossier/models/authorized_person'
import PickupAccess from '#modules/dossier/models/pickup_access'
import type { PickupDay } from '#modules/dossier/hooks'
import historyService from '#modules/dossier/services/history_service'
import { who } from '#modules/dossier/services/dossier_edits'

export type AccessState = 'invited' | 'active' | 'revoked'
export const ACCESS_STATE_LABELS: Record<AccessState, string> = { invited: 'invitée', active: 'active', revoked: 'révoquée' }

/** A second click within this delay is the same invitation: one mail. */
const RESEND_AFTER_SECONDS = 60

export interface AccessView {
  access: PickupAccess
  state: AccessState
  label: string
  childIds: number[]
}

export type InviteOutcome =
  | { status: 'sent'; email: string }
  | { status: 'updated' }
  | { status: 'already-sent'; email: string }
  | { status: 'wait'; seconds: number }

export interface InviteInput {
  family: Family
  person: AuthorizedPerson
  email: string
  childIds: number[]
  weekdays: number[]
  actor: User
}

/**
 * Read-only accesses of the persons authorized to pick the children up: the guardian invites
 * (accounts mails the activation link), sees the state, revokes at once. The person then sees
 * the days the chosen children are booked, on the chosen weekdays, nothing else.
 */
class PickupAccessService {
  async viewsOf(familyId: number): Promise<Map<number, AccessView>> {
    const accesses = await PickupAccess.query().where('family_id', familyId)
    const views = new Map<number, AccessView>()
    if (!accesses.length) return views
    const userIds = accesses.flatMap((access) => (access.userId ? [access.userId] : []))
    const states = new Map((await User.query().whereIn('id', userIds).select('id', 'state')).map((user) => [user.id, user.state]))
    const children = await db.from('pickup_access_children').whereIn('pickup_access_id', accesses.map((access) => access.id))
    for (const access of accesses) {
      const state: AccessState = access.revokedAt ? 'revoked' : access.userId && states.get(access.userId) === 'active' ? 'active' : 'invited'
      views.set(access.authorizedPersonId, {
        access,
        state,
        label: ACCESS_STATE_LABELS[state],
        childIds: children.filter((row) => Number(row.pickup_access_id) === access.id).map((row) => Number(row.child_id)),
      })
    }
    return views
  }

  async viewOf(familyId: number, personId: number): Promise<AccessView | null> {
    return (await this.viewsOf(familyId)).get(personId) ?? null
  }

  /**
   * Invites (or re-invites) the person, or only updates the children and weekdays of an active
   * access. Two submits of the same form send one mail: only the request that claims the row
   * (inserts it, or moves its invitation date past the resend delay) sends it.
   */
  async invite(input: InviteInput): Promise<InviteOutcome> {
    const { family, person, actor } = input
    const current = await this.viewOf(family.id, person.id)
    const weekdays = input.weekdays.length && input.weekdays.length < 7 ? [...input.weekdays].sort().join(',') : null
    if (current?.state === 'active') {
      await db.transaction(async (trx) => {
        await trx.from('pickup_accesses').where('id', current.access.id).update({ weekdays, updated_at: dbTime() })
        await this.setChildren(current.access.id, input.childIds, trx)
      })
      return { status: 'updated' }
    }

    const now = DateTime.utc()
    const claimed = await db.transaction(async (trx) => {
      if (!current) {
        // The other submit inserted it first: no second mail (a unique key per person).
        const [row] = await trx
          .knexQuery()
          .table('pickup_accesses')
          .insert({ family_id: family.id, authorized_person_id: person.id, email: input.email, weekdays, invited_at: dbTime(now), created_at: dbTime(now), updated_at: dbTime(now) })
          .onConflict('authorized_person_id')
          .ignore()
          .returning('id')
        if (!row) return null
        const id = Number(typeof row === 'object' ? row.id : row)
        await this.setChildren(id, input.childIds, trx)
        return { id, previous: null }
      }
      const affected = await trx
        .from('pickup_accesses')
        .where('id', current.access.id)
        .where((query) => query.whereNotNull('revoked_at').orWhere('invited_at', '<', dbTime(now.minus({ seconds: RESEND_AFTER_SECONDS }))))
        .update({ email: input.email, weekdays, invited_at: dbTime(now), revoked_at: null, updated_at: dbTime(now) })
      if (Number(Array.isArray(affected) ? affected[0] : affected) !== 1) return null
      await this.setChildren(current.access.id, input.childIds, trx)
      return { id: current.access.id, previous: current.access }
    })
    if (!claimed) return { status: 'already-sent', email: current?.access.email ?? input.email }

    let outcome
    try {
      outcome = await readOnlyAccounts.invite({
        userId: current?.access.userId ?? null,
        email: input.email,
        fullName: person.fullName,
        inviterId: actor.id,
        inviterName: actor.fullName,
      })
    } catch (error) {
      await this.release(claimed)
      throw error
    }
    if (outcome.status === 'wait') {
      await this.release(claimed)
      return outcome
    }
    await db.from('pickup_accesses').where('id', claimed.id).update({ user_id: outcome.userId ?? current?.access.userId ?? null })
    await historyService.record(family.id, {
      module: 'dossier',
      kind: 'pickup-access-invited',
      text: `Accès en lecture proposé à ${person.fullName} par ${who(actor)}`,
      link: router.makeUrl('dossier.contact.edit'),
    })
    return { status: 'sent', email: input.email }
  }

  /** Ends the access at once: the account is disabled and its sessions end server-side. */
  async revoke(family: Family, person: AuthorizedPerson, actor: User): Promise<boolean> {
    const view = await this.viewOf(family.id, person.id)
    if (!view || view.state === 'revoked') return false
    await db.from('pickup_accesses').where('id', view.access.id).update({ revoked_at: dbTime(), updated_at: dbTime() })
    if (view.access.userId) await readOnlyAccounts.revoke(view.access.userId)
    await historyService.record(family.id, {
      module: 'dossier',
      kind: 'pickup-access-revoked',
      text: `Accès en lecture de ${person.fullName} révoqué par ${who(actor)}`,
      link: router.makeUrl('dossier.contact.edit'),
    })
    return true
  }

  /**
   * The days this read-only account may see, from today to `days` ahead: for each of its
   * accesses still open (the person still « peut venir chercher les enfants »), the chosen
   * children's booked days on the chosen weekdays. null: no access open any more.
   */
  async daysFor(user: User, days = 60, today = DateTime.now().setZone('Europe/Paris')) {
    const accesses = await PickupAccess.query()
      .where('user_id', user.id)
      .whereNull('revoked_at')
      .whereIn('authorized_person_id', db.from('authorized_persons').where('may_pick_up', true).select('id'))
    if (!accesses.length) return null
    const rows = await db
      .from('pickup_access_children')
      .join('children', 'children.id', 'pickup_access_children.child_id')
      .whereIn('pickup_access_id', accesses.map((access) => access.id))
      .select('pickup_access_id', 'children.id as child_id', 'children.first_name')
    const firstNames = new Map(rows.map((row) => [Number(row.child_id), String(row.first_name)]))
    const answer = moduleRegistry.hook('dossier.pickup-days')
    if (!answer) return { planning: false, days: [], firstNames: [...new Set(firstNames.values())] }
    const from = today.toISODate()!
    const to = today.plus({ days }).toISODate()!
    const shown: PickupDay[] = []
    for (const access of accesses) {
      const childIds = rows.filter((row) => Number(row.pickup_access_id) === access.id).map((row) => Number(row.child_id))
      const booked = await answer({ familyId: access.familyId, childIds, from, to })
      const weekdays = access.weekdayList
      shown.push(...booked.filter((entry) => !weekdays.length || weekdays.includes(DateTime.fromISO(entry.day).weekday)))
    }
    shown.sort((a, b) => a.day.localeCompare(b.day))
    return {
      planning: true,
      days: shown.map((entry) => ({ ...entry, firstName: firstNames.get(entry.childId)! })),
      firstNames: [...new Set(firstNames.values())],
    }
  }

  private async setChildren(accessId: number, childIds: number[], trx: any) {
    await trx.from('pickup_access_children').where('pickup_access_id', accessId).delete()
    await trx.table('pickup_access_children').multiInsert(childIds.map((childId) => ({ pickup_access_id: accessId, child_id: childId })))
  }

  /** Gives back a claim whose mail did not leave, so the guardian may try again at once. */
  private async release(claim: { id: number; previous: PickupAccess | null }) {
    if (!claim.previous) {
      await db.from('pickup_accesses').where('id', claim.id).delete()
      return
    }
    await db
      .from('pickup_accesses')
      .where('id', claim.id)
      .update({ invited_at: dbTime(claim.previous.invitedAt), revoked_at: claim.previous.revokedAt ? dbTime(claim.previous.revokedAt) : null })
  }
}

const pickupAccessService = new PickupAccessService()
export default pickupAccessService
