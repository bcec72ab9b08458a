import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@vinejs/vine'
import Family from '#modules/dossier/models/family'
import Child from '#modules/dossier/models/child'
import custodyService from '#modules/dossier/services/custody_service'
import { custodyEndValidator, custodyValidator } from '#modules/dossier/validators/custody'
import { idParam } from '#modules/dossier/controllers/family_context'
import { formatDate } from '#core/format'
import { parisDayOf } from '#core/calendar_day'
import { de } from '#core/french'

async function familyAndChild(ctx: HttpContext) {
  const family = await Family.query().where('id', idParam(ctx.params.id)).preload('guardians').firstOrFail()
  const child = await Child.query().where('family_id', family.id).where('id', idParam(ctx.params.childId)).firstOrFail()
  return { family, child }
}

function refuseField(field: string, message: string): never {
  throw new errors.E_VALIDATION_ERROR([{ field, message, rule: 'custom' }])
}

/** Gestion > Familles > a family > a child: shared custody with another household (set up, shown, ended). */
export default class StaffCustodyController {
  async show(ctx: HttpContext) {
    const { family, child } = await familyAndChild(ctx)
    const arrangement = await custodyService.currentFor(child.id)
    if (arrangement) await arrangement.load('otherFamily', (query) => query.preload('guardians'))
    return ctx.view.render('dossier::pages/staff/custody', { family, child, arrangement, today: parisDayOf() })
  }

  async store(ctx: HttpContext) {
    const { family, child } = await familyAndChild(ctx)
    const data = await ctx.request.validateUsing(custodyValidator)
    const other = await Family.findBy('reference', data.otherFamilyReference)
    if (!other) refuseField('otherFamilyReference', "Aucun dossier n'a cette référence : cherchez l'autre foyer dans Gestion > Familles.")
    if (other.id === family.id) refuseField('otherFamilyReference', "L'autre foyer doit être un autre dossier que celui de l'enfant.")
    if (await custodyService.currentFor(child.id)) {
      // the page shows the running arrangement instead of this form
      ctx.session.flash('alert.error', `Une garde alternée ${de(child.firstName)} est déjà en place : terminez-la d'abord.`)
      return ctx.response.redirect().toRoute('staff.families.custody.show', { id: family.id, childId: child.id })
    }
    const previous = (await custodyService.arrangementsOf([child.id])).get(child.id) ?? []
    const overlapping = previous.find((arrangement) => arrangement.endsOn! >= data.startsOn)
    if (overlapping) refuseField('startsOn', `La garde alternée précédente ${de(child.firstName)} court jusqu'au ${formatDate(overlapping.endsOn)} : commencez après.`)
    await custodyService.setUp(child, { otherFamilyId: other.id, evenWeeks: data.evenWeeks, startsOn: data.startsOn }, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', `La garde alternée ${de(child.firstName)} avec le dossier ${other.reference} est enregistrée.`)
    return ctx.response.redirect().toRoute('staff.families.custody.show', { id: family.id, childId: child.id })
  }

  async end(ctx: HttpContext) {
    const { family, child } = await familyAndChild(ctx)
    const arrangement = await custodyService.currentFor(child.id)
    if (!arrangement) {
      ctx.session.flash('alert.error', `${child.firstName} n'a pas de garde alternée en cours.`)
      return ctx.response.redirect().toRoute('staff.families.custody.show', { id: family.id, childId: child.id })
    }
    const { endsOn } = await ctx.request.validateUsing(custodyEndValidator, {
      meta: { startsOn: arrangement.startsOn, startsOnText: formatDate(arrangement.startsOn) },
    })
    await custodyService.end(child, arrangement, endsOn, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', `La garde alternée ${de(child.firstName)} prend fin le ${formatDate(endsOn)}.`)
    return ctx.response.redirect().toRoute('staff.families.custody.show', { id: family.id, childId: child.id })
  }
}
