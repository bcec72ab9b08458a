import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import router from '@adonisjs/core/services/router'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import logger from '@adonisjs/core/services/logger'
import moduleRegistry from '#core/module_registry'
import { de } from '#core/french'
import audit from '#services/audit_service'
import type { User } from '#modules/accounts/index'
import type Child from '#modules/dossier/models/child'
import ChildPhoto from '#modules/dossier/models/child_photo'
import historyService from '#modules/dossier/services/history_service'
import { cleanPhoto, PhotoRefused, PHOTO_MIME } from '#modules/dossier/services/photo_image'

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024

const EXTENSIONS = { jpeg: 'jpg', png: 'png', webp: 'webp' } as const

/** Rounded up to the tenth, so that a file just over the limit never reads « 5,0 Mo ». */
function megabytes(bytes: number) {
  return (Math.ceil((bytes / 1024 / 1024) * 10) / 10).toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })
}

/** Reads the upload within its limits; PhotoRefused carries the sentence shown beside the field. */
async function readUpload(file: MultipartFile | null | undefined): Promise<Buffer> {
  if (!file) throw new PhotoRefused('Choisissez une photo à envoyer.')
  if (file.size > MAX_PHOTO_BYTES || file.errors[0]?.type === 'size') {
    throw new PhotoRefused(`La photo pèse ${megabytes(file.size)} Mo : 5 Mo au plus. Choisissez une image plus légère.`)
  }
  if (!file.tmpPath || file.hasErrors) throw new PhotoRefused("La photo n'a pas pu être reçue : envoyez-la de nouveau.")
  if (file.size === 0) throw new PhotoRefused('Le fichier envoyé est vide.')
  return readFile(file.tmpPath)
}

const isUniqueViolation = (error: unknown) => {
  const code = String((error as { code?: string }).code ?? '')
  return code === '23505' || code.startsWith('SQLITE_CONSTRAINT')
}

/** A child's photo on « Mes enfants »: stored privately without metadata, shown to whom may see it. */
class ChildPhotoService {
  /** The photos of these children, by child id. */
  async photosOf(childIds: number[]): Promise<Map<number, ChildPhoto>> {
    if (!childIds.length) return new Map()
    const photos = await ChildPhoto.query().whereIn('child_id', childIds)
    return new Map(photos.map((photo) => [photo.childId, photo]))
  }

  async photoOf(childId: number): Promise<ChildPhoto | null> {
    return ChildPhoto.query().where('child_id', childId).first()
  }

  /**
   * Checks the photo by content, strips its metadata, stores it and replaces the child's
   * previous one (whose file is deleted once the change is committed).
   */
  async save(child: Child, file: MultipartFile | null | undefined, actor: User): Promise<ChildPhoto> {
    const clean = await cleanPhoto(await readUpload(file))
    const disk = drive.use()
    const key = `families/${child.familyId}/children/${child.id}/${randomUUID()}.${EXTENSIONS[clean.kind]}`
    await disk.put(key, clean.bytes)
    const replace = (trx: TransactionClientContract) => this.#replace(trx, child, key, clean, actor)
    let outcome: { photo: ChildPhoto; previousKey: string | null }
    try {
      outcome = await db.transaction(replace)
    } catch (error) {
      // Two guardians sending a photo at once: the second replaces the first.
      if (!isUniqueViolation(error)) {
        await disk.delete(key).catch(() => {})
        throw error
      }
      outcome = await db.transaction(replace).catch(async (retryError) => {
        await disk.delete(key).catch(() => {})
        throw retryError
      })
    }
    if (outcome.previousKey) await disk.delete(outcome.previousKey).catch(() => {})
    return outcome.photo
  }

  async #replace(trx: TransactionClientContract, child: Child, key: string, clean: Awaited<ReturnType<typeof cleanPhoto>>, actor: User) {
    const previous = await ChildPhoto.query({ client: trx }).where('child_id', child.id).forUpdate().first()
    const values = { storageKey: key, mime: PHOTO_MIME[clean.kind], width: clean.width, height: clean.height, size: clean.bytes.length, uploadedBy: actor.id }
    const previousKey = previous?.storageKey ?? null
    const photo = previous ?? new ChildPhoto()
    photo.useTransaction(trx)
    photo.merge({ childId: child.id, familyId: child.familyId, ...values })
    await photo.save()
    await historyService.record(
      child.familyId,
      {
        module: 'dossier',
        kind: previous ? 'child-photo-replaced' : 'child-photo-added',
        text: `Photo ${de(child.firstName)} ${previous ? 'remplacée' : 'ajoutée'}`,
        link: router.makeUrl('dossier.children.index'),
      },
      trx
    )
    await audit.record(
      {
        actor,
        action: previous ? 'dossier.child.photo.replace' : 'dossier.child.photo.add',
        subjectType: 'child',
        subjectId: child.id,
        details: { familyId: child.familyId, width: clean.width, height: clean.height, size: clean.bytes.length },
      },
      trx
    )
    return { photo, previousKey }
  }

  /** Deletes the child's photo; false when there was none. */
  async remove(child: Child, actor: User): Promise<boolean> {
    const key = await db.transaction(async (trx) => {
      const photo = await ChildPhoto.query({ client: trx }).where('child_id', child.id).forUpdate().first()
      if (!photo) return null
      await photo.useTransaction(trx).delete()
      await historyService.record(
        child.familyId,
        { module: 'dossier', kind: 'child-photo-deleted', text: `Photo ${de(child.firstName)} supprimée`, link: router.makeUrl('dossier.children.index') },
        trx
      )
      await audit.record({ actor, action: 'dossier.child.photo.delete', subjectType: 'child', subjectId: child.id, details: { familyId: child.familyId } }, trx)
      return photo.storageKey
    })
    if (key) await drive.use().delete(key).catch(() => {})
    return key !== null
  }

  /**
   * May this agent see the child's photo? Administrators always; an agent when one of their
   * services works with the child (the modules answering `dossier.child-staff-services`).
   */
  async staffMayView(user: User, childId: number): Promise<boolean> {
    if (user.isAdmin) return true
    if (!user.isStaff) return false
    const own = new Set((await db.from('user_services').where('user_id', user.id).select('service_id')).map((row) => Number(row.service_id)))
    if (!own.size) return false
    for (const { answer } of moduleRegistry.contributions('dossier.child-staff-services')) {
      if ((await answer(childId)).some((serviceId) => own.has(Number(serviceId)))) return true
    }
    return false
  }

  /** The photos of these children this agent may see (the staff file), by child id. */
  async photosVisibleTo(user: User, children: Child[]): Promise<Map<number, ChildPhoto>> {
    const photos = await this.photosOf(children.map((child) => child.id))
    for (const childId of [...photos.keys()]) {
      if (!(await this.staffMayView(user, childId))) photos.delete(childId)
    }
    return photos
  }

  /** The French lines other modules put on each child's card (activities...), by child id. */
  async cardLines(childIds: number[]): Promise<Map<number, string[]>> {
    const lines = new Map<number, string[]>()
    if (!childIds.length) return lines
    for (const { module, answer } of moduleRegistry.contributions('dossier.child-card-lines')) {
      try {
        for (const [childId, more] of await answer(childIds)) lines.set(childId, [...(lines.get(childId) ?? []), ...more])
      } catch (error) {
        // As for a slot: the cards show without that module's lines rather than not at all.
        logger.error({ err: error, module }, 'child card lines not given')
      }
    }
    return lines
  }
}

const childPhotoService = new ChildPhotoService()
export default childPhotoService
