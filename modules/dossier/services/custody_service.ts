import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import router from '@adonisjs/core/services/router'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { User } from '#modules/accounts/index'
import audit from '#services/audit_service'
import Child from '#modules/dossier/models/child'
import CustodyArrangement from '#modules/dossier/models/custody_arrangement'
import historyService from '#modules/dossier/services/history_service'
import { formatDate } from '#core/format'
import { de } from '#core/french'
import { parisDayOf } from '#core/calendar_day'
import { directModels, listOf } from '#core/direct_sql'

export type WeekParity = 'even' | 'odd'

/** Whose week each day of a child is, for a family that may act for it. */
export interface CustodyWeeks {
  /** The family whose week holds this ISO day (the child's own family outside any arrangement). */
  householdOn(isoDay: string): number
  /** The arrangement in force, if any (for its wording). */
  arrangement: CustodyArrangement | null
}

/** A child a family may book for: its own, or shared with it by a running arrangement. */
export interface ActingChild extends CustodyWeeks {
  child: Child
}

/** A family's planning's view of shared custody (`custodyService.planningCustody`). */
export interface PlanningCustody {
  /** The children another family shares with this one (running or to come), with their family, by arrangement. */
  shared: { childId: number; familyId: number }[]
  /** By child: what `actingChildren` says of it, for the children shared with the family and the own ones asked. */
  weeks: Map<number, CustodyWeeks>
}

function today(): string {
  return parisDayOf()
}

export function weekParityOf(isoDay: string): WeekParity {
  return DateTime.fromISO(isoDay, { zone: 'utc' }).weekNumber % 2 === 0 ? 'even' : 'odd'
}

/** The household of a day under one child's arrangements (any of them covering the day), else the child's family. */
export function householdOn(child: { familyId: number }, arrangements: CustodyArrangement[], isoDay: string): number {
  const covering = arrangements.find((arrangement) => isoDay >= arrangement.startsOn && (!arrangement.endsOn || isoDay <= arrangement.endsOn))
  if (!covering) return child.familyId
  const evenFamily = covering.evenWeeksFamilyId
  const oddFamily = evenFamily === child.familyId ? covering.otherFamilyId : child.familyId
  return weekParityOf(isoDay) === 'even' ? evenFamily : oddFamily
}

/** « les semaines paires » / « les semaines impaires » of a household in an arrangement. */
export function weeksOf(arrangement: CustodyArrangement, familyId: number): string {
  return arrangement.evenWeeksFamilyId === familyId ? 'les semaines paires' : 'les semaines impaires'
}

/** « à partir du 07/09/2026 » or « du 07/09/2026 au 30/06/2027 ». */
function period(arrangement: CustodyArrangement): string {
  return arrangement.endsOn ? `du ${formatDate(arrangement.startsOn)} au ${formatDate(arrangement.endsOn)}` : `à partir du ${formatDate(arrangement.startsOn)}`
}

/** Running or to come: not ended before today. */
function isCurrent(arrangement: CustodyArrangement, on: string = today()): boolean {
  return !arrangement.endsOn || arrangement.endsOn >= on
}

/** Shared custody of a child between its family and another household, by alternate ISO weeks. */
class CustodyService {
  /** Every arrangement of these children (ended ones too: they still say whose a past day was). */
  async arrangementsOf(childIds: number[], client?: TransactionClientContract): Promise<Map<number, CustodyArrangement[]>> {
    const byChild = new Map<number, CustodyArrangement[]>()
    if (!childIds.length) return byChild
    const rows = await directModels(
      CustodyArrangement,
      'select * from custody_arrangements where child_id in (?) order by starts_on',
      [listOf(childIds)],
      client
    )
    for (const row of rows) byChild.set(row.childId, [...(byChild.get(row.childId) ?? []), row])
    return byChild
  }

  /** The arrangement of a child that runs or is to come, if any. */
  async currentFor(childId: number, client?: TransactionClientContract): Promise<CustodyArrangement | null> {
    return (await this.arrangementsOf([childId], client)).get(childId)?.find((arrangement) => isCurrent(arrangement)) ?? null
  }

  /** The arrangements sharing another family's child with this family, running or to come, with the child. */
  async sharedWith(familyId: number, client?: TransactionClientContract): Promise<CustodyArrangement[]> {
    const rows = await CustodyArrangement.query({ client })
      .where('other_family_id', familyId)
      .where((query) => query.whereNull('ends_on').orWhere('ends_on', '>=', today()))
      .preload('child')
      .orderBy('id')
    return rows
  }

  /**
   * The children among `childIds` this family may act for: its own, and those another family
   * shares (or shared) with it by an arrangement; each with the household of any day, which
   * decides where it may book. Others are left out.
   */
  async actingChildren(familyId: number, childIds: number[], client?: TransactionClientContract): Promise<Map<number, ActingChild>> {
    const acting = await this.actingChildrenOfMany(
      childIds.map((childId) => ({ familyId, childId })),
      client
    )
    return new Map([...acting.values()].map((entry) => [entry.child.id, entry]))
  }

  /**
   * `actingChildren` for the (family, child) pairs of many families at once (planning's weekly
   * patterns book for hundreds of families together), in the same two queries; keyed
   * "<family id>:<child id>", a pair whose family may not act for the child left out.
   */
  async actingChildrenOfMany(pairs: { familyId: number; childId: number }[], client?: TransactionClientContract): Promise<Map<string, ActingChild>> {
    const acting = new Map<string, ActingChild>()
    const childIds = [...new Set(pairs.map((pair) => pair.childId))]
    if (!childIds.length) return acting
    // The booking transaction asks for every basket: written once for the driver, in the caller's transaction.
    const children = new Map(
      (await directModels(Child, 'select * from children where id in (?)', [listOf(childIds)], client)).map((child) => [child.id, child])
    )
    const arrangements = await this.arrangementsOf([...children.keys()], client)
    for (const { familyId, childId } of pairs) {
      const child = children.get(childId)
      const key = `${familyId}:${childId}`
      if (!child || acting.has(key)) continue
      const list = arrangements.get(child.id) ?? []
      const current = list.find((arrangement) => isCurrent(arrangement)) ?? null
      // an ended arrangement still lets the other household cancel what it booked; its weeks say where it may book
      if (child.familyId !== familyId && !list.some((arrangement) => arrangement.otherFamilyId === familyId)) continue
      acting.set(key, { child, arrangement: current, householdOn: (isoDay) => householdOn(child, list, isoDay) })
    }
    return acting
  }

  /**
   * `sharedWith` and `actingChildren` for a family's planning, in one query: the children shared
   * with the family, and the weeks of those and of `ownChildIds` (every arrangement of theirs, the
   * child's family joined instead of the children read). A child without arrangement is left out
   * (it has no weeks to show), as is one the family may not act for.
   */
  async planningCustody(familyId: number, ownChildIds: number[]): Promise<PlanningCustody> {
    // Every month page asks: one statement written once for the driver, hydrated as the models.
    const rows = await directModels(
      CustodyArrangement,
      'select custody_arrangements.*, children.family_id as child_family_id from custody_arrangements ' +
        'inner join children on children.id = custody_arrangements.child_id ' +
        'where (custody_arrangements.child_id in (select child_id from custody_arrangements where other_family_id = ?)' +
        ' or custody_arrangements.child_id in (?)' +
        ') order by custody_arrangements.starts_on asc, custody_arrangements.id asc',
      [familyId, listOf(ownChildIds)]
    )
    const familyOfChild = (row: CustodyArrangement) => Number(row.$extras.child_family_id)
    const shared = rows
      .filter((row) => row.otherFamilyId === familyId && isCurrent(row))
      .sort((a, b) => a.id - b.id)
      .map((row) => ({ childId: row.childId, familyId: familyOfChild(row) }))
    const byChild = new Map<number, CustodyArrangement[]>()
    for (const row of rows) byChild.set(row.childId, [...(byChild.get(row.childId) ?? []), row])
    const weeks = new Map<number, CustodyWeeks>()
    for (const [childId, list] of byChild) {
      const child = { familyId: familyOfChild(list[0]) }
      if (child.familyId !== familyId && !list.some((arrangement) => arrangement.otherFamilyId === familyId)) continue
      weeks.set(childId, { arrangement: list.find((arrangement) => isCurrent(arrangement)) ?? null, householdOn: (isoDay) => householdOn(child, list, isoDay) })
    }
    return { shared, weeks }
  }

  /** The children shared with these families by any arrangement (billing prices their days), by family. */
  async childrenSharedWith(familyIds: number[], client?: TransactionClientContract): Promise<Map<number, Child[]>> {
    const byFamily = new Map<number, Child[]>()
    if (!familyIds.length) return byFamily
    const rows = await CustodyArrangement.query({ client }).whereIn('other_family_id', familyIds).preload('child')
    for (const row of rows) {
      const list = byFamily.get(row.otherFamilyId) ?? []
      if (!list.some((child) => child.id === row.childId)) list.push(row.child)
      byFamily.set(row.otherFamilyId, list)
    }
    return byFamily
  }

  /**
   * The sentences a family file shows: on each of its own children under a running (or coming)
   * arrangement, and for each child another family shares with it. `staff` adds the other file's reference.
   */
  async notesFor(familyId: number, options: { staff: boolean }) {
    const own = new Map<number, string>()
    const mine = await CustodyArrangement.query()
      .whereIn('child_id', (query) => query.from('children').where('family_id', familyId).select('id'))
      .where((query) => query.whereNull('ends_on').orWhere('ends_on', '>=', today()))
      .preload('otherFamily')
    for (const arrangement of mine) {
      const other = options.staff ? `avec le dossier ${arrangement.otherFamily.reference} ` : ''
      own.set(
        arrangement.childId,
        `Garde alternée ${other}${period(arrangement)} : ${options.staff ? 'ce foyer a' : 'votre foyer a'} ${weeksOf(arrangement, familyId)}, l'autre foyer ${weeksOf(arrangement, arrangement.otherFamilyId)}.`
      )
    }
    const shared = []
    for (const arrangement of await this.sharedWith(familyId)) {
      await arrangement.child.load('family')
      shared.push({
        childId: arrangement.childId,
        childName: `${arrangement.child.firstName} ${arrangement.child.lastName}`,
        familyId: arrangement.child.familyId,
        reference: arrangement.child.family.reference,
        text: `${arrangement.child.firstName} ${arrangement.child.lastName}, garde alternée ${period(arrangement)} : ${options.staff ? 'ce foyer a' : 'votre foyer a'} ${weeksOf(arrangement, familyId)}.`,
      })
    }
    return { own, shared }
  }

  async setUp(
    child: Child,
    data: { otherFamilyId: number; evenWeeks: 'child_family' | 'other_family'; startsOn: string },
    actor: User
  ): Promise<CustodyArrangement> {
    return db.transaction(async (trx) => {
      const arrangement = await CustodyArrangement.create(
        {
          childId: child.id,
          otherFamilyId: data.otherFamilyId,
          evenWeeksFamilyId: data.evenWeeks === 'child_family' ? child.familyId : data.otherFamilyId,
          startsOn: data.startsOn,
          endsOn: null,
          createdBy: actor.id,
        },
        { client: trx }
      )
      for (const familyId of [child.familyId, data.otherFamilyId]) {
        await historyService.record(
          familyId,
          {
            module: 'dossier',
            kind: 'custody-started',
            text: `Garde alternée ${de(child.firstName)} à partir du ${formatDate(data.startsOn)} : votre foyer a ${weeksOf(arrangement, familyId)}`,
            link: router.makeUrl('dossier.show'),
          },
          trx
        )
      }
      await audit.record(
        { actor, action: 'dossier.custody.start', subjectType: 'child', subjectId: child.id, details: { arrangementId: arrangement.id, otherFamilyId: data.otherFamilyId, startsOn: data.startsOn } },
        trx
      )
      return arrangement
    })
  }

  /** Ends the arrangement after `endsOn` (its last shared day); from the next day every day is the child's family's. */
  async end(child: Child, arrangement: CustodyArrangement, endsOn: string, actor: User): Promise<void> {
    await db.transaction(async (trx) => {
      arrangement.useTransaction(trx)
      arrangement.endsOn = endsOn
      arrangement.endedBy = actor.id
      await arrangement.save()
      for (const familyId of [child.familyId, arrangement.otherFamilyId]) {
        await historyService.record(
          familyId,
          { module: 'dossier', kind: 'custody-ended', text: `Fin de la garde alternée ${de(child.firstName)} le ${formatDate(endsOn)}`, link: router.makeUrl('dossier.show') },
          trx
        )
      }
      await audit.record({ actor, action: 'dossier.custody.end', subjectType: 'child', subjectId: child.id, details: { arrangementId: arrangement.id, endsOn } }, trx)
    })
    await emitter.emit('dossier:custody-ended', { childId: child.id, otherFamilyId: arrangement.otherFamilyId, endsOn })
  }
}

const custodyService = new CustodyService()
export default custodyService
