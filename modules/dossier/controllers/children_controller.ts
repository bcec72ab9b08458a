import type { HttpContext } from '@adonisjs/core/http'
import drive from '@adonisjs/drive/services/main'
import { de } from '#core/french'
import Child from '#modules/dossier/models/child'
import familyService from '#modules/dossier/services/family_service'
import childPhotoService from '#modules/dossier/services/child_photos'
import { PhotoRefused } from '#modules/dossier/services/photo_image'
import { requireFamily } from '#modules/dossier/services/family_access'
import { idParam } from '#modules/dossier/controllers/family_context'

/** « Mes enfants »: each child's card, and the photo a guardian may add, replace or delete. */
export default class ChildrenController {
  async index(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const children = await familyService.childrenOf(family.id)
    const ids = children.map((child) => child.id)
    return ctx.view.render('dossier::pages/children', {
      children,
      photos: await childPhotoService.photosOf(ids),
      lines: await childPhotoService.cardLines(ids),
    })
  }

  async editPhoto(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const child = await this.#childOfFamily(family.id, ctx)
    return ctx.view.render('dossier::pages/child_photo', { child, photo: await childPhotoService.photoOf(child.id) })
  }

  async storePhoto(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const child = await this.#childOfFamily(family.id, ctx)
    const hadPhoto = !!(await childPhotoService.photoOf(child.id))
    try {
      await childPhotoService.save(child, ctx.request.file('photo'), ctx.auth.getUserOrFail())
    } catch (error) {
      if (!(error instanceof PhotoRefused)) throw error
      ctx.session.flashExcept(['_csrf', 'photo'])
      ctx.session.flash('inputErrorsBag', { photo: [error.message] })
      return ctx.response.redirect().toRoute('dossier.children.photo.edit', { id: child.id })
    }
    ctx.session.flash('alert.success', `La photo ${de(child.firstName)} est ${hadPhoto ? 'remplacée' : 'ajoutée'}.`)
    return ctx.response.redirect().toRoute('dossier.children.index')
  }

  async destroyPhoto(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const child = await this.#childOfFamily(family.id, ctx)
    const removed = await childPhotoService.remove(child, ctx.auth.getUserOrFail())
    ctx.session.flash(removed ? 'alert.success' : 'alert.info', removed ? `La photo ${de(child.firstName)} est supprimée.` : `${child.firstName} n'a pas de photo.`)
    return ctx.response.redirect().toRoute('dossier.children.index')
  }

  /**
   * The photo itself, to the child's own family and to the agents who may see it (administrators,
   * agents of a service working with the child); a 404 for anyone else, as for a photo that is not there.
   */
  async photo(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const child = await Child.find(idParam(ctx.params.id))
    if (!child) return ctx.response.notFound('Photo introuvable')
    // A guardian of the child's own family (not whoever else may act for it read-only).
    const allowed = user.isStaff ? await childPhotoService.staffMayView(user, child.id) : (await familyService.userIdsOf(child.familyId)).includes(user.id)
    const photo = allowed ? await childPhotoService.photoOf(child.id) : null
    const disk = drive.use()
    if (!photo || !(await disk.exists(photo.storageKey))) return ctx.response.notFound('Photo introuvable')
    ctx.response.header('Content-Type', photo.mime)
    ctx.response.header('Content-Disposition', 'inline')
    ctx.response.header('X-Content-Type-Options', 'nosniff')
    ctx.response.header('Cache-Control', 'private, no-store')
    return ctx.response.stream(await disk.getStream(photo.storageKey))
  }

  /** The family's own child, for one of its guardians: another family's child is a 404. */
  async #childOfFamily(familyId: number, ctx: HttpContext): Promise<Child> {
    const guardians = await familyService.userIdsOf(familyId)
    return Child.query()
      .where('family_id', guardians.includes(ctx.auth.getUserOrFail().id) ? familyId : 0)
      .where('id', idParam(ctx.params.id))
      .firstOrFail()
  }
}
