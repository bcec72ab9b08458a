import { Exception } from '@adonisjs/core/exceptions'

/**
 * A request the rules refuse (duplicate, outside the period, too late to cancel...), with the
 * sentence shown to the person and the form field it concerns, if any.
 */
export default class InscriptionRefusal extends Exception {
  static status = 422
  static code = 'E_INSCRIPTION_REFUSED'

  constructor(
    message: string,
    public field: string | null = null
  ) {
    super(message, { status: 422, code: 'E_INSCRIPTION_REFUSED' })
  }
}
