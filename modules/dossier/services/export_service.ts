import type { Readable } from 'node:stream'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import yazl from 'yazl'
import Family from '#modules/dossier/models/family'
import FamilyDocument, { DOCUMENT_CATEGORIES, DOCUMENT_STATES } from '#modules/dossier/models/family_document'
import HistoryEntry from '#modules/dossier/models/history_entry'
import ChildPhoto from '#modules/dossier/models/child_photo'
import familyService from '#modules/dossier/services/family_service'
import { safeFileName } from '#services/upload_service'
import moduleRegistry from '#core/module_registry'
import type { ExportSection } from '#modules/dossier/hooks'

/** A timestamp as the drivers give it (a Date on PostgreSQL, UTC text on SQLite), in ISO. */
const isoOf = (value: unknown) => (value === null || value === undefined ? null : value instanceof Date ? value.toISOString() : DateTime.fromSQL(String(value), { zone: 'utc' }).toISO())

/** Where a child's photo sits in the zip (named in the JSON): `photos/Lya-E001.jpg`. */
function photoFileName(child: { firstName: string; reference: string }, photo: ChildPhoto) {
  return `photos/${safeFileName(`${child.firstName}-${child.reference}`)}.${photo.mime.split('/')[1].replace('jpeg', 'jpg')}`
}

function photoData(child: { firstName: string; reference: string }, photo: ChildPhoto | undefined) {
  return photo ? { file: photoFileName(child, photo), width: photo.width, height: photo.height, addedAt: photo.createdAt?.toISO() ?? null } : null
}

/**
 * "My data" (RGPD, right of access and portability): the whole family file, nothing of others,
 * and under `modules` what each enabled module keeps about the family (`dossier.export-section`).
 */
class ExportService {
  async familyData(familyId: number) {
    const family: Family = await familyService.loadFile(familyId)
    const documents = await FamilyDocument.query().where('family_id', familyId).orderBy('created_at')
    const history = await HistoryEntry.query().where('family_id', familyId).orderBy('created_at').orderBy('id')
    const photos = new Map((await ChildPhoto.query().where('family_id', familyId)).map((photo) => [photo.childId, photo]))
    return {
      exportedAt: new Date().toISOString(),
      family: {
        reference: family.reference,
        address: family.address,
        postalCode: family.postalCode,
        city: family.city,
        phone: family.phone,
        mobilePhone: family.mobilePhone,
        email: family.email,
        familyQuotient: family.familyQuotient,
        quotientSource: family.quotientSource,
        quotientReferenceDate: family.quotientReferenceDate,
        quotientOrigin: family.quotientOrigin,
        regime: family.regime,
        resident: family.resident,
        createdAt: family.createdAt?.toISO() ?? null,
        lastActivityAt: family.lastActivityAt?.toISO() ?? null,
      },
      guardians: family.guardians.map((guardian) => ({
        position: guardian.position,
        civility: guardian.civility,
        lastName: guardian.lastName,
        firstName: guardian.firstName,
        email: guardian.email,
        phone: guardian.phone,
        birthIdentity: guardian.birthName
          ? { birthName: guardian.birthName, firstNames: guardian.birthFirstNames, sex: guardian.birthSex, birthDate: guardian.birthDate, birthCountryCode: guardian.birthCountryCode, birthCommuneCode: guardian.birthCommuneCode }
          : null,
        account: guardian.user
          ? { username: guardian.user.username, email: guardian.user.email, state: guardian.user.state, createdAt: guardian.user.createdAt?.toISO() ?? null }
          : null,
      })),
      children: family.children.map((child) => ({
        reference: child.reference,
        lastName: child.lastName,
        firstName: child.firstName,
        birthDate: child.birthDate,
        sex: child.sex,
        school: child.school,
        classLevel: child.classLevel,
        dietNeeds: child.dietNeeds,
        allergies: child.allergies,
        pai: child.pai,
        doctorName: child.doctorName,
        doctorPhone: child.doctorPhone,
        vaccinationsUpToDate: child.vaccinationsUpToDate,
        imageRights: child.imageRights,
        photo: photoData(child, photos.get(child.id)),
      })),
      authorizedPersons: family.authorizedPersons.map((person) => ({
        lastName: person.lastName,
        firstName: person.firstName,
        phone: person.phone,
        relationship: person.relationship,
        mayPickUp: person.mayPickUp,
        emergencyContact: person.emergencyContact,
      })),
      documents: documents.map((document) => ({
        name: document.name,
        category: DOCUMENT_CATEGORIES[document.category] ?? document.category,
        child: family.children.find((child) => child.id === document.childId)?.firstName ?? null,
        mime: document.mime,
        size: document.size,
        origin: document.origin === 'service' ? 'service' : 'famille',
        state: DOCUMENT_STATES[document.state] ?? document.state,
        refusalReason: document.refusalReason,
        createdAt: document.createdAt?.toISO() ?? null,
      })),
      history: history.map((entry) => ({ date: entry.createdAt?.toISO() ?? null, module: entry.module, text: entry.text })),
      quotientRetrieval: await this.quotientRetrieval(familyId),
      modules: await this.moduleSections(familyId),
    }
  }

  /** The consents to API Particulier and the quotients it returned (the parent's own data). */
  private async quotientRetrieval(familyId: number) {
    const consents = await db.from('quotient_consents').where('family_id', familyId).orderBy('id')
    const fetches = await db.from('quotient_fetches').where('family_id', familyId).orderBy('id')
    return {
      consents: consents.map((row) => ({ givenAt: isoOf(row.given_at), revokedAt: isoOf(row.revoked_at) })),
      fetched: fetches.map((row) => ({ value: Number(row.value), provider: row.provider, month: `${row.year}-${String(row.month).padStart(2, '0')}`, fetchedAt: isoOf(row.fetched_at), confirmedAt: isoOf(row.confirmed_at), outcome: row.outcome })),
    }
  }

  /** Each enabled module's part, by module name, with its name for people; a failing part fails the export. */
  private async moduleSections(familyId: number) {
    const sections: Record<string, { module: string } & ExportSection> = {}
    for (const { module, label, answer } of moduleRegistry.contributions('dossier.export-section')) {
      const section = await answer(familyId)
      if (section) sections[module] = { module: label, ...section }
    }
    return sections
  }

  /** A zip of the family's documents and its data as JSON, streamed. */
  async documentsZip(familyId: number): Promise<Readable> {
    const zip = new yazl.ZipFile()
    const data = await this.familyData(familyId)
    zip.addBuffer(Buffer.from(JSON.stringify(data, null, 2), 'utf8'), 'mon-dossier.json')
    const documents = await FamilyDocument.query().where('family_id', familyId).orderBy('id')
    const used = new Set<string>()
    const disk = drive.use()
    for (const document of documents) {
      let bytes: Uint8Array
      try {
        bytes = await disk.getBytes(document.storageKey)
      } catch {
        continue
      }
      const base = safeFileName(document.name)
      let name = `documents/${base}`
      for (let n = 2; used.has(name); n++) name = `documents/${base.replace(/(\.[^.]*)?$/, `-${n}$1`)}`
      used.add(name)
      zip.addBuffer(Buffer.from(bytes), name)
    }
    const children = await familyService.childrenOf(familyId)
    for (const photo of await ChildPhoto.query().where('family_id', familyId).orderBy('id')) {
      const child = children.find((candidate) => candidate.id === photo.childId)
      const bytes = child ? await disk.getBytes(photo.storageKey).catch(() => null) : null
      if (child && bytes) zip.addBuffer(Buffer.from(bytes), photoFileName(child, photo))
    }
    zip.end()
    return zip.outputStream as unknown as Readable
  }
}

const exportService = new ExportService()
export default exportService
