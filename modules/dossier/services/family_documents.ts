import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import router from '@adonisjs/core/services/router'
import type { User } from '#modules/accounts/index'
import audit from '#services/audit_service'
import { storeUpload } from '#services/upload_service'
import type Family from '#modules/dossier/models/family'
import Child from '#modules/dossier/models/child'
import FamilyDocument, { type DocumentCategory, DOCUMENT_CATEGORIES } from '#modules/dossier/models/family_document'
import historyService from '#modules/dossier/services/history_service'

/** Stores a file checked by content (storeUpload) and files it in the family's folder. */
export async function addDocument(
  family: Family,
  file: MultipartFile,
  data: { category: string; childId?: number | null },
  actor: User,
  origin: 'family' | 'service'
): Promise<FamilyDocument> {
  const stored = await storeUpload(file, `families/${family.id}`, ['pdf', 'jpeg', 'png'])
  return db.transaction(async (trx) => {
    const document = await FamilyDocument.create(
      {
        familyId: family.id,
        childId: data.childId ?? null,
        category: data.category as DocumentCategory,
        name: stored.name,
        storageKey: stored.key,
        mime: stored.mime,
        size: stored.size,
        origin,
        state: origin === 'service' ? 'accepted' : 'pending',
        uploadedBy: actor.id,
      },
      { client: trx }
    )
    const label = DOCUMENT_CATEGORIES[document.category]
    await historyService.record(
      family.id,
      {
        module: 'dossier',
        kind: origin === 'service' ? 'document-shared' : 'document-sent',
        text: origin === 'service' ? `Document mis à disposition par le service : ${label} (${document.name})` : `Document transmis au service : ${label} (${document.name})`,
        link: router.makeUrl('dossier.documents.index'),
      },
      trx
    )
    if (actor.isStaff) await audit.record({ actor, action: 'dossier.document.upload', subjectType: 'family', subjectId: family.id, details: { documentId: document.id } }, trx)
    return document
  })
}

/** Staff accept or refuse a document sent by the family; an accepted PAI is linked to the child. */
export async function reviewDocument(document: FamilyDocument, accepted: boolean, reason: string | null, actor: User) {
  await db.transaction(async (trx) => {
    document.useTransaction(trx)
    document.state = accepted ? 'accepted' : 'refused'
    document.refusalReason = accepted ? null : reason
    document.reviewedBy = actor.id
    document.reviewedAt = DateTime.utc()
    await document.save()
    if (accepted && document.category === 'pai' && document.childId) {
      await Child.query({ client: trx })
        .where('id', document.childId)
        .where('family_id', document.familyId)
        .update({ pai: true, pai_document_id: document.id })
    }
    const label = DOCUMENT_CATEGORIES[document.category]
    await historyService.record(
      document.familyId,
      {
        module: 'dossier',
        kind: accepted ? 'document-accepted' : 'document-refused',
        text: accepted ? `Document accepté par le service : ${label} (${document.name})` : `Document refusé par le service : ${label} (${document.name}). Motif : ${reason}`,
        link: router.makeUrl('dossier.documents.index'),
      },
      trx
    )
    await audit.record(
      { actor, action: accepted ? 'dossier.document.accept' : 'dossier.document.refuse', subjectType: 'family', subjectId: document.familyId, details: { documentId: document.id, reason } },
      trx
    )
  })
}
