import type { HttpContext } from '@adonisjs/core/http'

/**
 * The signed-in user, or undefined. Only a session holding a user, or a remember-me cookie,
 * can be signed in: the guard is asked only then (it answers a visitor by building an
 * exception, stack trace included), and once per request.
 */
export async function signedInUser(ctx: HttpContext) {
  const guard = ctx.auth.use('web')
  if (guard.authenticationAttempted) return guard.user
  const mayBeSignedIn = ctx.session.has(guard.sessionKeyName) || ctx.request.cookiesList()[guard.rememberMeKeyName] !== undefined
  if (mayBeSignedIn) await guard.check()
  return guard.user
}
