import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@vinejs/vine'

export interface FieldMessage {
  field: string
  message: string
  rule: string
}

/** Runs a validator and returns its data, or null with its messages added to `problems`. */
export async function validateInto<T>(
  validator: { validate(data: any): Promise<T> },
  data: unknown,
  problems: FieldMessage[]
): Promise<T | null> {
  try {
    return await validator.validate(data)
  } catch (error) {
    if (error instanceof errors.E_VALIDATION_ERROR) {
      problems.push(...(error.messages as FieldMessage[]))
      return null
    }
    throw error
  }
}

/**
 * Sends the form back with the user's input (files cannot be kept by a browser) and each
 * error beside its field, as a refused validation does.
 */
export function sendBack({ session, response }: HttpContext, problems: FieldMessage[], to: string) {
  session.flashValidationErrors(new errors.E_VALIDATION_ERROR(problems))
  return response.redirect(to)
}
