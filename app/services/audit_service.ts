import db from '@adonisjs/lucid/services/db'
import { dbTime } from '#core/db_time'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

export interface AuditEntry {
  actor?: { id: number; fullName: string } | null
  action: string
  subjectType?: string
  subjectId?: string | number
  details?: Record<string, unknown> | string
}

/** Who did what to which record: staff decisions, reorders, on-behalf bookings. */
class AuditService {
  async record(entry: AuditEntry, client?: TransactionClientContract) {
    await (client ?? db).table('audit_logs').insert({
      actor_id: entry.actor?.id ?? null,
      actor_name: entry.actor?.fullName ?? null,
      action: entry.action,
      subject_type: entry.subjectType ?? null,
      subject_id: entry.subjectId === undefined ? null : String(entry.subjectId),
      details: entry.details === undefined ? null : typeof entry.details === 'string' ? entry.details : JSON.stringify(entry.details),
      created_at: dbTime(),
    })
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
