import vine from '@vinejs/vine'
import { errors } from '@vinejs/vine'

export const monthValidator = vine.compile(
  vine.object({
    month: vine.string().trim().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
    force: vine.boolean().optional(),
  })
)

export const refundValidator = vine.compile(
  vine.object({
    reference: vine.string().trim().maxLength(100).optional(),
  })
)

export const creditNoteValidator = vine.compile(
  vine.object({
    amount: vine.string().trim().minLength(1).maxLength(20),
    reason: vine.string().trim().minLength(3).maxLength(500),
  })
)

export const manualPaymentValidator = vine.compile(
  vine.object({
    method: vine.enum(['cheque', 'cash', 'cesu'] as const),
    amount: vine.string().trim().minLength(1).maxLength(20),
    receiptNumber: vine.string().trim().minLength(1).maxLength(40).regex(/^[A-Za-z0-9 ./-]+$/),
    paidOn: vine.date({ formats: ['YYYY-MM-DD'] }),
  })
)

export const tariffValidator = vine.compile(
  vine.object({
    activityId: vine.number().withoutDecimals().positive(),
    validFrom: vine.date({ formats: ['YYYY-MM-DD'] }),
    model: vine.enum(['brackets', 'linear'] as const),
    unit: vine.enum(['meal', 'hour', 'half_hour', 'half_day', 'day', 'session'] as const),
    brackets: vine.string().trim().maxLength(2000).optional(),
    rate: vine.string().trim().maxLength(12).optional(),
    floor: vine.string().trim().maxLength(20).optional(),
    ceiling: vine.string().trim().maxLength(20).optional(),
    nonResident: vine.string().trim().maxLength(20).optional(),
    lateSurcharge: vine.string().trim().maxLength(20).optional(),
    sibling2: vine.number().withoutDecimals().min(0).max(100).optional(),
    sibling3: vine.number().withoutDecimals().min(0).max(100).optional(),
    regimeMsa: vine.number().withoutDecimals().min(-100).max(100).optional(),
    regimeAutre: vine.number().withoutDecimals().min(-100).max(100).optional(),
  })
)

/** A refusal found after validation, shown beside the field like any validation error. */
export function fieldError(field: string, message: string) {
  return new errors.E_VALIDATION_ERROR([{ field, message, rule: 'custom' }])
}
