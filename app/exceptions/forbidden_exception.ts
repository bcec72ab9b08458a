import { Exception } from '@adonisjs/core/exceptions'

/** A page the current user may not see: rendered as the French 403 page. */
export default class ForbiddenException extends Exception {
  static status = 403
  static code = 'E_FORBIDDEN'
  static message = 'Accès refusé'
}
