import type { HttpContext } from '@adonisjs/core/http'
import preferenceService from '#modules/messaging/services/preference_service'
import { preferencesValidator } from '#modules/messaging/validators/messaging'

/** Mail preferences: a family chooses to get notices and answers by email; an agent, new messages. */
export default class PreferencesController {
  async edit({ auth, view, route }: HttpContext) {
    const user = auth.getUserOrFail()
    const staffArea = route?.name?.startsWith('messaging.staff.') ?? false
    return view.render(staffArea ? 'messaging::pages/staff/preferences' : 'messaging::pages/preferences', {
      preferences: await preferenceService.of(user.id),
    })
  }

  async update({ auth, request, response, session, route }: HttpContext) {
    const user = auth.getUserOrFail()
    const data = await request.validateUsing(preferencesValidator)
    const staffArea = route?.name?.startsWith('messaging.staff.') ?? false
    if (staffArea) {
      await preferenceService.update(user.id, { emailNewMessages: Boolean(data.email_new_messages) })
    } else {
      await preferenceService.update(user.id, { emailNotices: Boolean(data.email_notices) })
    }
    session.flash('alert.success', 'Vos préférences sont enregistrées.')
    return response.redirect().toRoute(staffArea ? 'messaging.staff.preferences' : 'messaging.preferences')
  }
}
