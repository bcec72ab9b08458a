import vine from '@vinejs/vine'
import { FrenchMessagesProvider, frenchMessages } from '#start/validator'
import { bicError, ibanError, normalizeBic, normalizeIban } from '#modules/billing/services/sepa/iban'

/** Country, length and check digits, with the sentence that says what is wrong. */
const ibanRule = vine.createRule((value, _options, field) => {
  const message = ibanError(String(value))
  if (message) field.report(message, 'iban', field)
})

/** Shape, and the same country as the IBAN (when the IBAN itself is right). */
const bicRule = vine.createRule((value, _options, field) => {
  const iban = typeof field.parent?.iban === 'string' && !ibanError(field.parent.iban) ? field.parent.iban : null
  const message = bicError(String(value), iban)
  if (message) field.report(message, 'bic', field)
})

export const mandateValidator = vine.compile(
  vine.object({
    holderName: vine.string().trim().minLength(2).maxLength(70),
    iban: vine
      .string()
      .trim()
      .maxLength(50)
      .use(ibanRule())
      .transform((value) => normalizeIban(value)),
    bic: vine
      .string()
      .trim()
      .maxLength(20)
      .use(bicRule())
      .transform((value) => normalizeBic(value))
      .optional(),
    consent: vine.accepted(),
  })
)

mandateValidator.messagesProvider = new FrenchMessagesProvider({
  ...frenchMessages,
  'holderName.required': 'Indiquez le nom du titulaire du compte, tel qu’il figure sur le RIB.',
  'holderName.minLength': 'Indiquez le nom du titulaire du compte, tel qu’il figure sur le RIB.',
  'holderName.maxLength': 'Le nom du titulaire compte au plus 70 caractères.',
  'iban.required': "Saisissez l'IBAN du compte à débiter.",
  'iban.maxLength': "L'IBAN compte au plus 34 caractères.",
  'consent.accepted': 'Cochez la case pour signer le mandat.',
  'consent.required': 'Cochez la case pour signer le mandat.',
})

export const revocationValidator = vine.compile(vine.object({ confirm: vine.accepted() }))

revocationValidator.messagesProvider = new FrenchMessagesProvider({
  ...frenchMessages,
  'confirm.accepted': 'Cochez la case pour confirmer la révocation du mandat.',
  'confirm.required': 'Cochez la case pour confirmer la révocation du mandat.',
})

/** Staff: the month whose debit file is created, and the collection date if not the one announced. */
export const debitBatchValidator = vine.compile(
  vine.object({
    month: vine.string().trim().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
    collectionDate: vine.string().trim().maxLength(20).optional(),
  })
)

debitBatchValidator.messagesProvider = new FrenchMessagesProvider({
  ...frenchMessages,
  'month.required': 'Choisissez le mois des factures à prélever.',
  'month.regex': 'Mois invalide : format attendu AAAA-MM (par exemple 2026-09).',
  'collectionDate.maxLength': 'Date de prélèvement invalide : format attendu AAAA-MM-JJ.',
})
