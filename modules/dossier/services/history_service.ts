import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import HistoryEntry from '#modules/dossier/models/history_entry'
import { pageNumber } from '#core/pagination'
import { insertMany } from '#core/bulk_insert'
import { dbTimeOf } from '#core/db_time'
import { directWrite, directWriteReturning } from '#core/direct_sql'

export interface HistoryLine {
  /** The module writing the line ('dossier', 'inscriptions', 'messaging'...). */
  module: string
  /** A short key ('contact-updated', 'inscription-requested'...). */
  kind: string
  /** The sentence the family and the staff read ("Demande d'inscription à l'activité Vacances (Lya)"). */
  text: string
  /** Where the line leads, if anywhere (a path of the portal). */
  link?: string | null
}

export const HISTORY_PER_PAGE = 20

/** "Suivi de mes démarches": every request and message of a family, dated. */
class HistoryService {
  /** Adds a dated line to the family's history; pass the transaction when inside one. */
  async record(familyId: number, line: HistoryLine, client?: TransactionClientContract): Promise<HistoryEntry> {
    // Each booking and cancellation writes one: two statements written once for the driver.
    const now = dbTimeOf(client ?? db.connection())
    const [row] = await directWriteReturning(
      'insert into family_history_entries (family_id, module, kind, text, link, created_at) values (?, ?, ?, ?, ?, ?) returning *',
      [familyId, line.module, line.kind, line.text.slice(0, 2000), line.link ?? null, now],
      client
    )
    await directWrite('update families set last_activity_at = ? where id = ?', [now, familyId], client)
    return HistoryEntry.$createFromAdapterResult(row) as HistoryEntry
  }

  /** `record` for many families at once (an import): multi-row inserts, one update per 5,000 families. */
  async recordMany(entries: Array<{ familyId: number; line: HistoryLine }>, client?: TransactionClientContract): Promise<void> {
    if (!entries.length) return
    const runner = client ?? db.connection()
    const now = DateTime.utc().toFormat(runner.dialect.dateTimeFormat)
    const rows = entries.map(({ familyId, line }) => ({
      family_id: familyId,
      module: line.module,
      kind: line.kind,
      text: line.text.slice(0, 2000),
      link: line.link ?? null,
      created_at: now,
    }))
    await insertMany(runner, 'family_history_entries', rows)
    const ids = [...new Set(entries.map((entry) => entry.familyId))]
    for (let start = 0; start < ids.length; start += 5000) {
      await runner.from('families').whereIn('id', ids.slice(start, start + 5000)).update({ last_activity_at: now })
    }
  }

  /** A page of the family's history, newest first. */
  async page(familyId: number, page: number = 1, perPage: number = HISTORY_PER_PAGE) {
    const safePage = pageNumber(page)
    return HistoryEntry.query()
      .where('family_id', familyId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .paginate(safePage, perPage)
  }
}

const historyService = new HistoryService()
export default historyService
