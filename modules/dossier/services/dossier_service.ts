import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import type { User } from '#modules/accounts/index'
import audit from '#services/audit_service'
import { storeUpload } from '#services/upload_service'
import Family, { type QuotientSource, type Regime } from '#modules/dossier/models/family'
import Guardian from '#modules/dossier/models/guardian'
import Child from '#modules/dossier/models/child'
import AuthorizedPerson from '#modules/dossier/models/authorized_person'
import FamilyDocument, { type DocumentCategory, DOCUMENT_CATEGORIES } from '#modules/dossier/models/family_document'
import historyService from '#modules/dossier/services/history_service'
import { ensureParentAccount, sendActivationLink } from '#modules/dossier/services/account_bridge'
import { normalizePhone, splitList } from '#modules/dossier/services/normalize'
import { de } from '#core/french'
import router from '@adonisjs/core/services/router'

export const CHANGE_REQUEST_TOPIC = "Demande de modification d'éléments dans mon dossier"

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(vide)'
  if (typeof value === 'boolean') return value ? 'oui' : 'non'
  return `« ${value} »`
}

function phoneOrNull(value: string | null | undefined): string | null {
  if (!value) return null
  return normalizePhone(value) ?? value
}

type Changes = string[]

/** Sets fields on a model and lists what changed in words. */
function assign<T extends object>(model: T, values: Partial<Record<keyof T, unknown>>, labels: Partial<Record<keyof T, string>>, changes: Changes, prefix = '') {
  for (const [key, next] of Object.entries(values) as [keyof T, unknown][]) {
    const before = (model as any)[key] ?? null
    const after = next ?? null
    const same = Array.isArray(before) && Array.isArray(after) ? before.join('|') === after.join('|') : before === after
    if (!same) {
      const label = labels[key] ?? String(key)
      changes.push(`${prefix}${label} : ${show(Array.isArray(before) ? before.join(', ') : before)} → ${show(Array.isArray(after) ? after.join(', ') : after)}`)
      ;(model as any)[key] = after
    }
  }
}

const FAMILY_LABELS = {
  address: 'adresse',
  postalCode: 'code postal',
  city: 'ville',
  phone: 'téléphone fixe',
  mobilePhone: 'téléphone portable',
  email: 'courriel',
  regime: 'régime',
  resident: 'résident de la commune',
  reference: 'référence',
}

const PERSON_LABELS = {
  lastName: 'nom',
  firstName: 'prénom',
  phone: 'téléphone',
  relationship: 'lien',
  mayPickUp: "peut venir chercher l'enfant",
  emergencyContact: "à prévenir en cas d'urgence",
}

const CHILD_LABELS = {
  reference: 'référence',
  lastName: 'nom',
  firstName: 'prénom',
  birthDate: 'date de naissance',
  sex: 'sexe',
  school: 'école',
  classLevel: 'classe',
  dietNeeds: 'régime alimentaire',
  allergies: 'allergies',
  pai: 'PAI',
  doctorName: 'médecin',
  doctorPhone: 'téléphone du médecin',
  vaccinationsUpToDate: 'vaccinations à jour',
  imageRights: "droit à l'image",
}

function who(actor: User) {
  return actor.isStaff ? 'le service' : actor.fullName
}

/** The rules of the family file: every change dated in the history, staff decisions audited. */
class DossierService {
  /** A parent's (or an agent's) change of the household's details; returns what changed. */
  async updateContact(
    family: Family,
    data: { address: string; postalCode: string; city: string; phone?: string; mobilePhone?: string; email?: string; guardian1Phone?: string; guardian2Phone?: string },
    actor: User
  ): Promise<Changes> {
    const changes: Changes = []
    await db.transaction(async (trx) => {
      family.useTransaction(trx)
      assign(
        family,
        {
          address: data.address,
          postalCode: data.postalCode,
          city: data.city,
          phone: phoneOrNull(data.phone),
          mobilePhone: phoneOrNull(data.mobilePhone),
          email: data.email?.toLowerCase() ?? null,
        },
        FAMILY_LABELS,
        changes
      )
      if (changes.length) await family.save()
      const guardians = await Guardian.query({ client: trx }).where('family_id', family.id).orderBy('position')
      for (const guardian of guardians) {
        const value = guardian.position === 1 ? data.guardian1Phone : data.guardian2Phone
        const before = changes.length
        assign(guardian, { phone: phoneOrNull(value) }, { phone: 'téléphone' }, changes, `${guardian.fullName}, `)
        if (changes.length > before) await guardian.save()
      }
      if (changes.length) {
        await historyService.record(
          family.id,
          { module: 'dossier', kind: 'contact-updated', text: `Coordonnées modifiées par ${who(actor)} : ${changes.join(' ; ')}`, link: router.makeUrl('dossier.show') },
          trx
        )
        if (actor.isStaff) await audit.record({ actor, action: 'dossier.contact.update', subjectType: 'family', subjectId: family.id, details: { changes } }, trx)
      }
    })
    return changes
  }

  async saveAuthorizedPerson(
    family: Family,
    person: AuthorizedPerson | null,
    data: { lastName: string; firstName: string; phone: string; relationship?: string; mayPickUp?: boolean; emergencyContact?: boolean },
    actor: User
  ): Promise<Changes> {
    const changes: Changes = []
    const values = {
      lastName: data.lastName,
      firstName: data.firstName,
      phone: phoneOrNull(data.phone)!,
      relationship: data.relationship ?? null,
      mayPickUp: !!data.mayPickUp,
      emergencyContact: !!data.emergencyContact,
    }
    await db.transaction(async (trx) => {
      if (!person) {
        const created = await AuthorizedPerson.create({ familyId: family.id, ...values }, { client: trx })
        const roles = [created.mayPickUp ? 'peut venir chercher les enfants' : null, created.emergencyContact ? "à prévenir en cas d'urgence" : null].filter(Boolean)
        changes.push(`${created.fullName}${created.relationship ? ` (${created.relationship})` : ''}${roles.length ? ', ' + roles.join(', ') : ''}`)
        await historyService.record(family.id, { module: 'dossier', kind: 'authorized-person-added', text: `Personne autorisée ajoutée par ${who(actor)} : ${changes[0]}`, link: router.makeUrl('dossier.show') }, trx)
        return
      }
      person.useTransaction(trx)
      assign(person, values, PERSON_LABELS, changes)
      if (changes.length) {
        await person.save()
        await historyService.record(
          family.id,
          { module: 'dossier', kind: 'authorized-person-updated', text: `Personne autorisée ${person.fullName} modifiée par ${who(actor)} : ${changes.join(' ; ')}`, link: router.makeUrl('dossier.show') },
          trx
        )
      }
    })
    return changes
  }

  async removeAuthorizedPerson(family: Family, person: AuthorizedPerson, actor: User) {
    await db.transaction(async (trx) => {
      await AuthorizedPerson.query({ client: trx }).where('id', person.id).where('family_id', family.id).delete()
      await historyService.record(family.id, { module: 'dossier', kind: 'authorized-person-removed', text: `Personne autorisée retirée par ${who(actor)} : ${person.fullName}`, link: router.makeUrl('dossier.show') }, trx)
    })
  }

  /**
   * What the parent may not change alone (a child's identity, the QF) goes to the service as a
   * request: a line of history and an event messaging may turn into a conversation.
   */
  async requestChange(family: Family, actor: User, data: { subject: 'child' | 'quotient' | 'other'; childId?: number; message: string }, child: Child | null) {
    const about =
      data.subject === 'child' && child ? ` (fiche ${de(child.firstName)})` : data.subject === 'quotient' ? ' (quotient familial)' : ''
    const entry = await historyService.record(family.id, {
      module: 'dossier',
      kind: 'change-requested',
      text: `${CHANGE_REQUEST_TOPIC}${about} : ${data.message}`,
      link: router.makeUrl('dossier.history'),
    })
    await emitter.emit('dossier:change-requested', {
      familyId: family.id,
      userId: actor.id,
      topic: CHANGE_REQUEST_TOPIC,
      message: data.message,
      subject: data.subject,
      childId: child?.id ?? null,
      historyEntryId: entry.id,
    })
    return entry
  }

  /** Stores a file checked by content (storeUpload) and files it in the family's folder. */
  async addDocument(
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
  async reviewDocument(document: FamilyDocument, accepted: boolean, reason: string | null, actor: User) {
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

  async setQuotient(family: Family, data: { familyQuotient?: number; quotientSource?: QuotientSource; quotientReferenceDate?: string }, actor: User): Promise<Changes> {
    const changes: Changes = []
    await db.transaction(async (trx) => {
      family.useTransaction(trx)
      assign(
        family,
        {
          familyQuotient: data.familyQuotient ?? null,
          quotientSource: data.quotientSource ?? null,
          quotientReferenceDate: data.quotientReferenceDate ?? null,
        },
        { familyQuotient: 'quotient familial', quotientSource: 'source', quotientReferenceDate: 'date de référence' },
        changes
      )
      if (!changes.length) return
      await family.save()
      await historyService.record(family.id, { module: 'dossier', kind: 'quotient-updated', text: `Quotient familial mis à jour par le service : ${changes.join(' ; ')}`, link: router.makeUrl('dossier.show') }, trx)
      await audit.record({ actor, action: 'dossier.quotient.update', subjectType: 'family', subjectId: family.id, details: { changes } }, trx)
    })
    return changes
  }

  /**
   * Staff create or edit a household and its guardians; guardians with an email get a
   * pending parent account (and, on request, the activation mail).
   */
  async saveFamily(family: Family | null, data: Record<string, any>, actor: User): Promise<{ family: Family; changes: Changes; accounts: number; mailed: number }> {
    const changes: Changes = []
    const created = !family
    const newAccounts: User[] = []
    const target = await db.transaction(async (trx) => {
      const record = family ?? new Family()
      record.useTransaction(trx)
      const values = {
        reference: data.reference,
        address: data.address ?? null,
        postalCode: data.postalCode ?? null,
        city: data.city ?? null,
        phone: phoneOrNull(data.phone),
        mobilePhone: phoneOrNull(data.mobilePhone),
        email: data.email?.toLowerCase() ?? null,
        regime: data.regime as Regime,
        resident: !!data.resident,
      }
      if (created) Object.assign(record, values)
      else assign(record, values, FAMILY_LABELS, changes)
      await record.save()

      const guardians = created ? [] : await Guardian.query({ client: trx }).where('family_id', record.id)
      for (const position of [1, 2] as const) {
        const lastName = data[`guardian${position}LastName`]
        const firstName = data[`guardian${position}FirstName`]
        const existing = guardians.find((g) => g.position === position)
        if (!lastName || !firstName) {
          if (existing && position === 2 && !lastName && !firstName) {
            await Guardian.query({ client: trx }).where('id', existing.id).delete()
            changes.push(`responsable 2 retiré du dossier : ${existing.fullName}`)
          }
          continue
        }
        const guardian = existing ?? new Guardian()
        guardian.useTransaction(trx)
        const guardianValues = {
          civility: data[`guardian${position}Civility`] ?? null,
          lastName,
          firstName,
          email: data[`guardian${position}Email`]?.toLowerCase() ?? null,
          phone: phoneOrNull(data[`guardian${position}Phone`]),
        }
        if (existing) {
          assign(guardian, guardianValues, { civility: 'civilité', lastName: 'nom', firstName: 'prénom', email: 'courriel', phone: 'téléphone' }, changes, `responsable ${position}, `)
        } else {
          Object.assign(guardian, guardianValues, { familyId: record.id, position })
          if (!created) changes.push(`responsable ${position} ajouté : ${firstName} ${lastName}`)
        }
        await guardian.save()
      }
      if (created) {
        await historyService.record(record.id, { module: 'dossier', kind: 'family-created', text: 'Dossier créé par le service' }, trx)
      } else if (changes.length) {
        await historyService.record(record.id, { module: 'dossier', kind: 'family-updated', text: `Dossier modifié par le service : ${changes.join(' ; ')}` }, trx)
      }
      await audit.record({ actor, action: created ? 'dossier.family.create' : 'dossier.family.update', subjectType: 'family', subjectId: record.id, details: { changes } }, trx)
      const withoutAccount = await Guardian.query({ client: trx }).where('family_id', record.id).whereNull('user_id').whereNotNull('email')
      for (const guardian of withoutAccount) {
        const account = await ensureParentAccount(guardian.email!, guardian.fullName, trx)
        if (!account) continue
        guardian.userId = account.user.id
        await guardian.save()
        if (account.created) newAccounts.push(account.user)
      }
      return record
    })

    let mailed = 0
    if (data.sendActivation) {
      for (const user of newAccounts) if (await sendActivationLink(user).catch(() => false)) mailed++
    }
    const accounts = newAccounts.length
    if (created) await emitter.emit('dossier:family-created', { familyId: target.id, source: 'staff' })
    return { family: target, changes, accounts, mailed }
  }

  async saveChild(family: Family, child: Child | null, data: Record<string, any>, actor: User): Promise<{ child: Child; changes: Changes }> {
    const changes: Changes = []
    const record = await db.transaction(async (trx) => {
      const target = child ?? new Child()
      target.useTransaction(trx)
      let reference = data.reference
      if (!reference && !child) {
        const count = await Child.query({ client: trx }).where('family_id', family.id).count('* as total')
        reference = `E${String(Number(count[0].$extras.total) + 1).padStart(4, '0')}`
        while (await Child.query({ client: trx }).where('family_id', family.id).where('reference', reference).first()) {
          reference = `E${Math.floor(Math.random() * 9000 + 1000)}`
        }
      }
      const values = {
        reference: reference ?? child!.reference,
        lastName: data.lastName,
        firstName: data.firstName,
        birthDate: data.birthDate,
        sex: data.sex ?? null,
        school: data.school ?? null,
        classLevel: data.classLevel ?? null,
        dietNeeds: splitList(data.dietNeeds),
        allergies: data.allergies ?? null,
        pai: !!data.pai,
        doctorName: data.doctorName ?? null,
        doctorPhone: phoneOrNull(data.doctorPhone),
        vaccinationsUpToDate: !!data.vaccinationsUpToDate,
        imageRights: !!data.imageRights,
      }
      if (child) assign(target, values, CHILD_LABELS, changes)
      else Object.assign(target, values, { familyId: family.id })
      await target.save()
      const text = child
        ? changes.length
          ? `Fiche ${de(target.firstName)} modifiée par le service : ${changes.join(' ; ')}`
          : null
        : `Enfant ajouté au dossier par le service : ${target.firstName} ${target.lastName}`
      if (text) {
        await historyService.record(family.id, { module: 'dossier', kind: child ? 'child-updated' : 'child-added', text, link: router.makeUrl('dossier.show') }, trx)
        await audit.record({ actor, action: child ? 'dossier.child.update' : 'dossier.child.create', subjectType: 'family', subjectId: family.id, details: { childId: target.id, changes } }, trx)
      }
      return target
    })
    return { child: record, changes }
  }
}

const dossierService = new DossierService()
export default dossierService
