import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Tariff from '#modules/billing/models/tariff'
import { Activity } from '#modules/inscriptions/index'
import { priceFor, type FamilySituation, type PriceResult } from '#modules/billing/services/tariff_engine'
import { parisDayOf } from '#core/calendar_day'

export function todayInParis(): string {
  return parisDayOf()
}

/** The tariffs of some activities, each list sorted by valid_from, to pick the one of a day. */
export class TariffBook {
  #byActivity = new Map<number, Tariff[]>()

  constructor(tariffs: Tariff[]) {
    for (const tariff of tariffs) {
      const list = this.#byActivity.get(tariff.activityId) ?? []
      list.push(tariff)
      this.#byActivity.set(tariff.activityId, list)
    }
    for (const list of this.#byActivity.values()) list.sort((a, b) => a.validFrom.localeCompare(b.validFrom))
  }

  /** The tariff in force on a day: the latest valid_from on or before it. */
  on(activityId: number, day: string): Tariff | null {
    const list = this.#byActivity.get(activityId) ?? []
    let found: Tariff | null = null
    for (const tariff of list) {
      if (tariff.validFrom <= day) found = tariff
      else break
    }
    return found
  }
}

class TariffService {
  async book(activityIds: number[], client?: TransactionClientContract): Promise<TariffBook> {
    if (!activityIds.length) return new TariffBook([])
    const tariffs = await Tariff.query({ client }).whereIn('activity_id', [...new Set(activityIds)])
    return new TariffBook(tariffs)
  }

  async tariffOn(activityId: number, day: string, client?: TransactionClientContract): Promise<Tariff | null> {
    return Tariff.query({ client }).where('activity_id', activityId).where('valid_from', '<=', day).orderBy('valid_from', 'desc').first()
  }

  /**
   * For the public simulator: each current or future activity with the tariff in force today
   * (or, when none yet, its first future one), and the price for the family's situation.
   */
  async priceList(situation: FamilySituation, day: string = todayInParis()) {
    const activities = await Activity.query().where('ends_on', '>=', day).preload('activityType').orderBy('name')
    const book = await this.book(activities.map((activity) => activity.id))
    const future = await Tariff.query().whereIn('activity_id', activities.map((a) => a.id)).where('valid_from', '>', day).orderBy('valid_from')
    const rows: { activity: Activity; tariff: Tariff; price: PriceResult; from: string | null }[] = []
    for (const activity of activities) {
      const current = book.on(activity.id, day)
      const tariff = current ?? future.find((item) => item.activityId === activity.id) ?? null
      if (!tariff) continue
      rows.push({ activity, tariff, price: priceFor(tariff.rule, situation), from: current ? null : tariff.validFrom })
    }
    return rows.sort(
      (a, b) =>
        (a.activity.activityType?.name ?? '').localeCompare(b.activity.activityType?.name ?? '', 'fr') ||
        a.activity.name.localeCompare(b.activity.name, 'fr')
    )
  }
}

const tariffService = new TariffService()
export default tariffService
