import { DateTime } from 'luxon'
import type { HttpContext } from '@adonisjs/core/http'
import { readOnlyAccounts } from '#modules/accounts/index'
import AuthorizedPerson from '#modules/dossier/models/authorized_person'
import familyService from '#modules/dossier/services/family_service'
import pickupAccessService from '#modules/dossier/services/pickup_access_service'
import { pickupAccessValidator } from '#modules/dossier/validators/pickup_access'
import { idParam } from '#modules/dossier/controllers/family_context'
import { requireFamily } from '#modules/dossier/services/family_access'
import { listInput } from '#core/list_input'
import { signedInUser } from '#core/signed_in_user'
import { WEEKDAY_CHOICES } from '#core/calendar_day'

/**
 * A guardian opens a read-only access to an authorized person (« peut venir chercher les
 * enfants »), chooses the children and weekdays, revokes it; the person sees those days.
 */
export default class PickupAccessController {
  private async personOf(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const person = await AuthorizedPerson.query().where('family_id', family.id).where('id', idParam(ctx.params.id)).firstOrFail()
    return { family, person }
  }

  async edit(ctx: HttpContext) {
    const { family, person } = await this.personOf(ctx)
    const children = await familyService.childrenOf(family.id)
    const view = await pickupAccessService.viewOf(family.id, person.id)
    return ctx.view.render('dossier::pages/pickup_access', { person, children, view, weekdayOptions: WEEKDAY_CHOICES })
  }

  async store(ctx: HttpContext) {
    const { family, person } = await this.personOf(ctx)
    const { request, session, response } = ctx
    const back = () => response.redirect().toRoute('dossier.persons.access', { id: person.id })
    if (!person.mayPickUp) {
      session.flash('alert.error', `Cette personne n'est pas autorisée à venir chercher les enfants : cochez d'abord « Peut venir chercher les enfants » sur sa fiche.`)
      return back()
    }
    const data = await request.validateUsing(pickupAccessValidator, {
      data: { email: request.input('email'), childIds: listInput(request.input('childIds')), weekdays: listInput(request.input('weekdays')) },
    })
    const ownChildren = new Set((await familyService.childrenOf(family.id)).map((child) => child.id))
    if (data.childIds.some((id) => !ownChildren.has(id))) {
      session.flashExcept(['_csrf'])
      session.flash('inputErrorsBag', { childIds: ['Choisissez parmi les enfants de votre dossier.'] })
      return back()
    }
    const outcome = await pickupAccessService.invite({ family, person, email: data.email, childIds: data.childIds, weekdays: data.weekdays ?? [], actor: ctx.auth.getUserOrFail() })
    if (outcome.status === 'wait') {
      session.flashExcept(['_csrf'])
      session.flash('alert.error', `Trop d'invitations envoyées : réessayez dans ${Math.max(1, Math.ceil(outcome.seconds / 60))} min.`)
    } else if (outcome.status === 'updated') {
      session.flash('alert.success', `Les jours que ${person.fullName} peut consulter ont été enregistrés.`)
    } else {
      session.flash('alert.success', `L'invitation a été envoyée à ${outcome.email}. Le lien est valable 96 heures.`)
    }
    return back()
  }

  async revoke(ctx: HttpContext) {
    const { family, person } = await this.personOf(ctx)
    const revoked = await pickupAccessService.revoke(family, person, ctx.auth.getUserOrFail())
    ctx.session.flash('alert.success', revoked ? `L'accès de ${person.fullName} est révoqué : il est fermé dès maintenant.` : `${person.fullName} n'a pas d'accès ouvert.`)
    return ctx.response.redirect().toRoute('dossier.persons.access', { id: person.id })
  }

  /** The read-only person's only page. A guardian or an agent has their own home. */
  async days(ctx: HttpContext) {
    const user = (await signedInUser(ctx))!
    if (!user.isReadOnly) return ctx.response.redirect().toRoute(user.isStaff ? 'staff.home' : 'parent.home')
    const result = await pickupAccessService.daysFor(user)
    if (!result) {
      // The access is gone (the person removed from the file, no longer allowed to pick up).
      await readOnlyAccounts.revoke(user.id)
      await ctx.auth.use('web').logout()
      ctx.session.flash('alert.error', 'Votre accès a été fermé : vous avez été déconnecté.')
      return ctx.response.redirect().toRoute('auth.login')
    }
    const byDay = new Map<string, { firstName: string; activity: string }[]>()
    for (const entry of result.days) byDay.set(entry.day, [...(byDay.get(entry.day) ?? []), { firstName: entry.firstName, activity: entry.activity }])
    const days = [...byDay].map(([day, entries]) => ({ day, weekday: DateTime.fromISO(day).setLocale('fr').toFormat('cccc'), entries }))
    return ctx.view.render('dossier::pages/pickup_days', { ...result, days })
  }
}
