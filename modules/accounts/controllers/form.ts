import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@vinejs/vine'
import { SECRET_FIELDS } from '#modules/accounts/validators/accounts'

type Compiled<T> = { validate(data: any, options?: any): Promise<T> }

/**
 * Validates a form; on errors, flashes them with the user's input (never a password) and
 * returns null so the controller redirects to the form.
 */
export async function validateForm<T>(
  ctx: HttpContext,
  validator: Compiled<T>,
  meta: Record<string, any> = {}
): Promise<T | null> {
  try {
    return await validator.validate(ctx.request.all(), { meta })
  } catch (error) {
    if (error instanceof errors.E_VALIDATION_ERROR) {
      ctx.session.flashValidationErrors(error)
      ctx.session.flashExcept(SECRET_FIELDS)
      return null
    }
    throw error
  }
}

/** A refusal that is not tied to one field, shown in the error summary. */
export function flashFormError(ctx: HttpContext, message: string, keep: string[] = []) {
  ctx.session.flash('formError', message)
  ctx.session.flashOnly(keep)
}

/** Errors found after validation (wrong current password...), shown beside their fields. */
export function flashFieldErrors(ctx: HttpContext, bag: Record<string, string[]>, keep: string[] = []) {
  ctx.session.flash('inputErrorsBag', bag)
  ctx.session.flash('errors', bag)
  ctx.session.flashOnly(keep)
}
