import emitter from '@adonisjs/core/services/emitter'
import { nameNewestDevice } from '#modules/accounts/services/device_tokens'

/*
 * A session reopened from a remember-me cookie is tagged with its user like one opened by
 * the login form, so that a new password or a disabled account ends it too. A device
 * remembered before devices were named gets its name from the browser that uses it.
 */
emitter.on('session_auth:authentication_succeeded', async (event) => {
  if (event.rememberMeToken) {
    await event.ctx.session.tag(String(event.user.id))
    await nameNewestDevice(event.user.id, event.ctx.request.header('user-agent'))
  }
})
