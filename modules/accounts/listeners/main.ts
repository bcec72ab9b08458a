import emitter from '@adonisjs/core/services/emitter'

/*
 * A session reopened from a remember-me cookie is tagged with its user like one opened by
 * the login form, so that a new password or a disabled account ends it too.
 */
emitter.on('session_auth:authentication_succeeded', async (event) => {
  if (event.rememberMeToken) {
    await event.ctx.session.tag(String(event.user.id))
  }
})
