import { errors } from '@vinejs/vine'

/**
 * A refusal found after validation (a file whose content lies, a past date...), thrown as a
 * validation error so the form comes back with the input and the message beside the field.
 */
export function fieldError(field: string, message: string, rule = 'custom') {
  return new errors.E_VALIDATION_ERROR([{ field, message, rule }])
}
