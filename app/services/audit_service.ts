import db from '@adonisjs/lucid/services/db'
import { dbTime } from '#core/db_time'
import { insertMany } from '#core/bulk_insert'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

export interface AuditEntry {
  actor?: { id: number; fullName: string } | null
  action: string
  subjectType?: string
  subjectId?: string | number
  details?: Record<string, unknown> | string
}

function row(entry: AuditEntry, createdAt: string) {
  return {
    actor_id: entry.actor?.id ?? null,
    actor_name: entry.actor?.fullName ?? null,
    action: entry.action,
    subject_type: entry.subjectType ?? null,
    subject_id: entry.subjectId === undefined ? null : String(entry.subjectId),
    details: entry.details === undefined ? null : typeof entry.details === 'string' ? entry.details : JSON.stringify(entry.details),
    created_at: createdAt,
  }
}

/** Who did what to which record: staff decisions, reorders, on-behalf bookings. */
class AuditService {
  async record(entry: AuditEntry, client?: TransactionClientContract) {
    await (client ?? db).table('audit_logs').insert(row(entry, dbTime()))
  }

  /** `record` for many entries at once (a month's debit file): multi-row inserts, the same instant for all. */
  async recordMany(entries: AuditEntry[], client?: TransactionClientContract) {
    if (!entries.length) return
    const now = dbTime()
    await insertMany(
      client ?? db.connection(),
      'audit_logs',
      entries.map((entry) => row(entry, now))
    )
  }

  async forSubject(subjectType: string, subjectId: string | number) {
    return db
      .from('audit_logs')
      .where({ subject_type: subjectType, subject_id: String(subjectId) })
      .orderBy('id', 'desc')
  }
}

const audit = new AuditService()
export default audit
