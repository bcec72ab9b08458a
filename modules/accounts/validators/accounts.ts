import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { checkPassword, MAX_LENGTH } from '#modules/accounts/services/password_policy'

/** The CNIL rule, with the user's name and email (validator meta) kept out of the password. */
const passwordPolicy = vine.createRule((value: unknown, _options: undefined, field: FieldContext) => {
  if (typeof value !== 'string') return
  const meta = (field.meta ?? {}) as { username?: string | null; email?: string | null }
  const result = checkPassword(value, meta)
  if (!result.ok) field.report(result.message, 'passwordPolicy', field)
})

const newPassword = () =>
  vine.string().maxLength(MAX_LENGTH).use(passwordPolicy()).confirmed({ confirmationField: 'password_confirmation' })

export const loginValidator = vine.compile(
  vine.object({
    username: vine.string().trim().minLength(1).maxLength(254),
    password: vine.string().minLength(1).maxLength(512),
    remember: vine.boolean().optional(),
  })
)

export const activationValidator = vine.compile(
  vine.object({
    cgu: vine.accepted(),
    password: newPassword(),
  })
)

export const forgotPasswordValidator = vine.compile(
  vine.object({
    username: vine.string().trim().minLength(1).maxLength(254),
  })
)

export const resetPasswordValidator = vine.compile(
  vine.object({
    password: newPassword(),
  })
)

export const changePasswordValidator = vine.compile(
  vine.object({
    current_password: vine.string().minLength(1).maxLength(512),
    password: newPassword(),
  })
)

export const changeEmailValidator = vine.compile(
  vine.object({
    email: vine.string().trim().toLowerCase().maxLength(254).email(),
    email_current_password: vine.string().minLength(1).maxLength(512),
  })
)

export const franceconnectPasswordValidator = vine.compile(
  vine.object({
    franceconnect_password: vine.string().minLength(1).maxLength(512),
  })
)

export const staffAccountValidator = vine.compile(
  vine.object({
    full_name: vine.string().trim().minLength(2).maxLength(200),
    email: vine.string().trim().toLowerCase().maxLength(254).email(),
    username: vine
      .string()
      .trim()
      .toLowerCase()
      .minLength(3)
      .maxLength(80)
      .regex(/^[a-z0-9][a-z0-9._-]*$/)
      .optional(),
    role: vine.enum(['staff', 'admin'] as const),
    service_ids: vine.array(vine.number().withoutDecimals().positive()).optional(),
  })
)

export const accountSearchValidator = vine.compile(
  vine.object({
    q: vine.string().trim().maxLength(100).optional(),
    state: vine.enum(['pending', 'active', 'disabled'] as const).optional(),
    role: vine.enum(['parent', 'staff', 'admin'] as const).optional(),
  })
)

export const SECRET_FIELDS = ['_csrf', '_method', 'password', 'password_confirmation', 'current_password', 'email_current_password', 'franceconnect_password']
