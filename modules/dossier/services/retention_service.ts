import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import audit from '#services/audit_service'
import moduleRegistry from '#core/module_registry'
import Family from '#modules/dossier/models/family'
import Guardian from '#modules/dossier/models/guardian'
import FamilyDocument from '#modules/dossier/models/family_document'
import ChildPhoto from '#modules/dossier/models/child_photo'
import { User } from '#modules/accounts/index'

/** Ends a preview's transaction (rolled back) once every delete has run. */
class PreviewDone extends Error {}

export interface PurgeCandidate {
  id: number
  reference: string
  lastActivity: DateTime
}

export interface PurgeOutcome {
  reference: string
  purged: boolean
  reason?: string
  accounts: number
  files: number
}

/**
 * CNIL NS-058: a family file is kept about three years after the family's last activity, then
 * purged. The last activity is the latest of the file's own date (a line of history from any
 * module bumps it), its creation and its parents' last logins.
 */
class RetentionService {
  async candidates(years: number, now: DateTime = DateTime.utc()): Promise<PurgeCandidate[]> {
    const limit = now.minus({ years })
    const families = await Family.query().preload('guardians', (query) => query.preload('user')).orderBy('id')
    const result: PurgeCandidate[] = []
    for (const family of families) {
      const dates = [family.lastActivityAt, family.createdAt, ...family.guardians.map((guardian) => guardian.user?.lastLoginAt ?? null)].filter(
        (date): date is DateTime => !!date && date.isValid
      )
      const lastActivity = DateTime.max(...dates) as DateTime
      if (lastActivity < limit) result.push({ id: family.id, reference: family.reference, lastActivity })
    }
    return result
  }

  /**
   * Deletes one family (its guardians, children, persons, documents and history go with it),
   * its stored files, and its parents' accounts that act for no other family. A family that
   * other records must outlive (invoices) is kept and the reason is given. With `preview`, the
   * very same deletes run and are rolled back: what it says is exactly what the purge does.
   */
  async purge(candidate: PurgeCandidate, { preview = false } = {}): Promise<PurgeOutcome> {
    const keys = (await FamilyDocument.query().where('family_id', candidate.id).select('storage_key')).map((document) => document.storageKey)
    keys.push(...(await ChildPhoto.query().where('family_id', candidate.id).select('storage_key')).map((photo) => photo.storageKey))
    let accounts = 0
    try {
      await db.transaction(async (trx) => {
        const guardians = await Guardian.query({ client: trx }).where('family_id', candidate.id).whereNotNull('user_id')
        const userIds: number[] = []
        for (const guardian of guardians) {
          const elsewhere = await Guardian.query({ client: trx }).where('user_id', guardian.userId!).whereNot('family_id', candidate.id).first()
          if (!elsewhere) userIds.push(guardian.userId!)
        }
        await trx.from('families').where('id', candidate.id).delete()
        if (userIds.length) {
          accounts = Number(await User.query({ client: trx }).whereIn('id', userIds).where('role', 'parent').delete())
        }
        if (preview) throw new PreviewDone()
        await audit.record({ action: 'dossier.family.purge', subjectType: 'family', subjectId: candidate.id, details: { reference: candidate.reference, lastActivity: candidate.lastActivity.toISODate() } }, trx)
      })
    } catch (error) {
      if (error instanceof PreviewDone) return { reference: candidate.reference, purged: true, accounts: Math.max(0, accounts), files: keys.length }
      const code = (error as { code?: string }).code ?? ''
      if (code.startsWith('SQLITE_CONSTRAINT') || code === '23503') {
        const why = await moduleRegistry.hook('dossier.retention-reason')?.(candidate.id)
        return { reference: candidate.reference, purged: false, reason: `conservée : ${why ?? 'd’autres pièces en dépendent'}`, accounts: 0, files: 0 }
      }
      throw error
    }
    let files = 0
    for (const key of keys) {
      try {
        await drive.use().delete(key)
        files++
      } catch {
        // already gone
      }
    }
    return { reference: candidate.reference, purged: true, accounts: Math.max(0, accounts), files }
  }
}

const retentionService = new RetentionService()
export default retentionService
