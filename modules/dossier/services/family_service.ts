import { randomUUID } from 'node:crypto'
import drive from '@adonisjs/drive/services/main'
import type { User } from '#modules/accounts/index'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Family from '#modules/dossier/models/family'
import Child from '#modules/dossier/models/child'
import Guardian from '#modules/dossier/models/guardian'
import FamilyDocument, { type DocumentCategory } from '#modules/dossier/models/family_document'
import { safeFileName, sniffKind, type StoredFile } from '#services/upload_service'
import { directModel, directRead } from '#core/direct_sql'

/** A parent's family (through guardians.user_id, the first guardian's link): its `columns`. */
function familyOfUserSql(columns: string) {
  return `select ${columns} from families inner join guardians on guardians.family_id = families.id where guardians.user_id = ? order by guardians.id limit 1`
}

/** The public face of the family file for the other modules. */
class FamilyService {
  /** familyForUser's family id only, without building the model. */
  async familyIdForUser(user: User | null | undefined): Promise<number | null> {
    if (!user || user.isStaff) return null
    const rows = await directRead<{ id: number }>(familyOfUserSql('families.id'), [user.id])
    return rows.length ? Number(rows[0].id) : null
  }

  /** The family of a parent (through guardians.user_id); null for staff and for a parent without one. */
  async familyForUser(user: User | null | undefined): Promise<Family | null> {
    if (!user || user.isStaff) return null
    // One query: every parent page asks it first (written once for the driver).
    return directModel(Family, familyOfUserSql('families.*'), [user.id])
  }

  /**
   * Files in the family's documents a file another module received from the family (an absence
   * certificate...), inside the caller's transaction; the service reviews it like any other.
   */
  async fileDocument(
    client: TransactionClientContract,
    document: { familyId: number; childId: number | null; category: DocumentCategory; file: StoredFile; uploadedBy: number }
  ): Promise<FamilyDocument> {
    const { file } = document
    return FamilyDocument.create(
      {
        familyId: document.familyId,
        childId: document.childId,
        category: document.category,
        name: file.name,
        storageKey: file.key,
        mime: file.mime,
        size: file.size,
        origin: 'family',
        state: 'pending',
        uploadedBy: document.uploadedBy,
      },
      { client }
    )
  }

  /**
   * Files in the family's documents a PDF another module produced for the family (a signed SEPA
   * mandate...), shared by the service and accepted: stored privately like any upload, its row
   * written in the caller's transaction. Should that transaction roll back, the stored file is
   * removed: a document is never half there. Refuses anything but a PDF.
   */
  async shareDocument(
    client: TransactionClientContract,
    document: { familyId: number; category: DocumentCategory; name: string; bytes: Buffer; sharedBy: number | null }
  ): Promise<FamilyDocument> {
    if (sniffKind(document.bytes.subarray(0, 16)) !== 'pdf') throw new Error(`shareDocument: « ${document.name} » is not a PDF`)
    const key = `families/${document.familyId}/${randomUUID()}.pdf`
    const disk = drive.use()
    await disk.put(key, document.bytes)
    client.after('rollback', () => disk.delete(key))
    return FamilyDocument.create(
      {
        familyId: document.familyId,
        childId: null,
        category: document.category,
        name: safeFileName(document.name),
        storageKey: key,
        mime: 'application/pdf',
        size: document.bytes.length,
        origin: 'service',
        state: 'accepted',
        uploadedBy: document.sharedBy,
      },
      { client }
    )
  }

  /** The children of a family, by first name. */
  /** Documents the families sent that no agent has accepted or refused yet. */
  async documentsToCheck(): Promise<number> {
    const rows = await FamilyDocument.query().where('state', 'pending').where('origin', 'family').count('* as total')
    return Number(rows[0].$extras.total)
  }

  async childrenOf(familyId: number, client?: TransactionClientContract): Promise<Child[]> {
    return Child.query({ client }).where('family_id', familyId).orderBy('first_name').orderBy('id')
  }

  /** One child of a family, or null when the child belongs to another family. */
  async childOf(familyId: number, childId: number, client?: TransactionClientContract): Promise<Child | null> {
    return Child.query({ client }).where('family_id', familyId).where('id', childId).first()
  }

  /** The guardians of a family (1 then 2), with their accounts. */
  async guardiansOf(familyId: number, client?: TransactionClientContract): Promise<Guardian[]> {
    return Guardian.query({ client }).where('family_id', familyId).preload('user').orderBy('position')
  }

  /** The users (accounts) that act for a family: to mail them, to notify them. */
  async userIdsOf(familyId: number, client?: TransactionClientContract): Promise<number[]> {
    const rows = await Guardian.query({ client }).where('family_id', familyId).whereNotNull('user_id').select('user_id')
    return rows.map((row) => row.userId!).filter(Boolean)
  }

  /** The accounts acting for the family of this reference; null when no family has it. */
  async userIdsOfReference(reference: string): Promise<number[] | null> {
    const family = await Family.findBy('reference', reference)
    return family ? this.userIdsOf(family.id) : null
  }

  /** The whole file, everything preloaded. */
  async loadFile(familyId: number, client?: TransactionClientContract): Promise<Family> {
    return Family.query({ client })
      .where('id', familyId)
      .preload('guardians', (query) => query.preload('user').orderBy('position'))
      .preload('children', (query) => query.orderBy('first_name').orderBy('id'))
      .preload('authorizedPersons', (query) => query.orderBy('last_name').orderBy('id'))
      .firstOrFail()
  }
}

const familyService = new FamilyService()
export default familyService
