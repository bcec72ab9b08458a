import vine from '@vinejs/vine'
import { errors } from '@vinejs/vine'
import { FrenchMessagesProvider, frenchMessages } from '#start/validator'
import { parseEuros } from '#modules/billing/services/form_state'
import { sortedBrackets, type Bracket } from '#modules/billing/services/tariff_engine'

/** An amount in euros as typed ("12,50", "1 050 €"); `positive`: more than zero. */
const eurosRule = vine.createRule((value, options: { positive?: boolean } | undefined, field) => {
  const cents = parseEuros(value)
  if (Number.isNaN(cents) || (options?.positive && !(cents !== null && cents > 0))) {
    field.report('Indiquez un montant en euros (exemple : 3,05).', 'euros', field)
  }
})

const typedAmount = (options?: { positive?: boolean }) => vine.string().trim().maxLength(20).use(eurosRule(options))

/** Kept as cents; a blank optional amount is null. */
const euros = () => typedAmount().transform((value) => parseEuros(value))

/** More than zero (the rule makes sure), kept as cents. */
const positiveEuros = () => typedAmount({ positive: true }).transform((value) => parseEuros(value)!)

/** "0 ; 0,50" per line: the QF where a bracket starts, then its price; the first wrong line (1-based) otherwise. */
export function readBrackets(text: string): { brackets: Bracket[] } | { wrongLine: number } {
  const brackets: Bracket[] = []
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim()
    if (!line) continue
    const match = /^(\d{1,6})\s*[;:|\t]\s*([\d\s,.]+?)\s*€?$/.exec(line)
    const cents = match ? parseEuros(match[2]) : null
    if (!match || cents === null || Number.isNaN(cents)) return { wrongLine: index + 1 }
    brackets.push({ fromQf: Number(match[1]), priceCents: cents })
  }
  return { brackets: sortedBrackets(brackets) }
}

const bracketLines = vine.createRule((value, _options, field) => {
  const read = readBrackets(String(value))
  if ('wrongLine' in read) {
    field.report('Ligne {{ line }} : écrivez « quotient de début ; prix », par exemple « 400 ; 1,75 ».', 'brackets', field, { line: read.wrongLine })
  }
})

/** "0,36" or "0.36 %" → the rate in ten-thousandths of a percent (3600). */
function readRate(value: string): number | null {
  const rate = value.replace(',', '.').replace(/\s|%/g, '')
  return /^\d+(\.\d{1,4})?$/.test(rate) ? Math.round(Number(rate) * 10_000) : null
}

const rateRule = vine.createRule((value, _options, field) => {
  if (readRate(String(value)) === null) field.report("Indiquez le taux d'effort en pourcentage (exemple : 0,36).", 'rate', field)
})

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
    amount: positiveEuros(),
    reason: vine.string().trim().minLength(3).maxLength(500),
  })
)

export const manualPaymentValidator = vine.compile(
  vine.object({
    method: vine.enum(['cheque', 'cash', 'cesu'] as const),
    amount: positiveEuros(),
    receiptNumber: vine.string().trim().minLength(1).maxLength(40).regex(/^[A-Za-z0-9 ./-]+$/),
    paidOn: vine.date({ formats: ['YYYY-MM-DD'] }),
  })
)

/** A grid of brackets, or a linear rate between a floor and a ceiling: only the model's own fields are read. */
export const tariffValidator = vine.compile(
  vine
    .object({
      activityId: vine.number().withoutDecimals().positive(),
      validFrom: vine.date({ formats: ['YYYY-MM-DD'] }),
      unit: vine.enum(['meal', 'hour', 'half_hour', 'half_day', 'day', 'session'] as const),
      nonResident: euros().optional(),
      lateSurcharge: euros().optional(),
      sibling2: vine.number().withoutDecimals().min(0).max(100).optional(),
      sibling3: vine.number().withoutDecimals().min(0).max(100).optional(),
      regimeMsa: vine.number().withoutDecimals().min(-100).max(100).optional(),
      regimeAutre: vine.number().withoutDecimals().min(-100).max(100).optional(),
    })
    .merge(
      vine.group([
        vine.group.if((data) => data.model === 'linear', {
          model: vine.literal('linear'),
          rate: vine
            .string()
            .trim()
            .maxLength(12)
            .use(rateRule())
            .transform((value) => readRate(value)!),
          floor: euros().optional(),
          ceiling: euros(),
        }),
        vine.group.else({
          model: vine.enum(['brackets'] as const),
          brackets: vine
            .string()
            .trim()
            .maxLength(2000)
            .use(bracketLines())
            .transform((value) => (readBrackets(value) as { brackets: Bracket[] }).brackets)
            .optional(),
        }),
      ])
    )
)

/** A refusal found after validation, shown beside the field like any validation error. */
export function fieldError(field: string, message: string) {
  return new errors.E_VALIDATION_ERROR([{ field, message, rule: 'custom' }])
}

const AMOUNT = 'Indiquez un montant en euros (exemple : 12,50).'

creditNoteValidator.messagesProvider = new FrenchMessagesProvider({ ...frenchMessages, 'amount.euros': AMOUNT })
manualPaymentValidator.messagesProvider = creditNoteValidator.messagesProvider
tariffValidator.messagesProvider = new FrenchMessagesProvider({
  ...frenchMessages,
  'rate.required': "Indiquez le taux d'effort en pourcentage (exemple : 0,36).",
})
