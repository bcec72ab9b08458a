import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import vine from '@vinejs/vine'
import { validateForm } from '#modules/accounts/controllers/form'
import { CGU_PARTIAL, CGU_TITLE, CGU_VERSION } from '#modules/accounts/services/cgu'
import { homeFor, safeIntended } from '#modules/accounts/services/login_service'

const acceptValidator = vine.compile(vine.object({ cgu: vine.accepted() }))

/** A new version of the CGU is shown at the next login and accepted once. */
export default class CguController {
  async show({ view, auth }: HttpContext) {
    const user = auth.getUserOrFail()
    return view.render('accounts::pages/cgu', {
      cguVersion: CGU_VERSION,
      cguTitle: CGU_TITLE,
      cguPartial: CGU_PARTIAL,
      accepted: user.cguVersion === CGU_VERSION ? user.cguAcceptedAt : null,
      previous: user.cguVersion,
    })
  }

  async accept(ctx: HttpContext) {
    const { auth, session, response } = ctx
    const user = auth.getUserOrFail()
    const data = await validateForm(ctx, acceptValidator)
    if (!data) return response.redirect().toRoute('account.cgu')
    user.merge({ cguVersion: CGU_VERSION, cguAcceptedAt: DateTime.utc() })
    await user.save()
    const destination = safeIntended(session.pull('after_cgu_url')) ?? homeFor(user)
    session.flash('alert.success', "Merci : les conditions générales d'utilisation sont acceptées.")
    return response.redirect(destination)
  }
}
