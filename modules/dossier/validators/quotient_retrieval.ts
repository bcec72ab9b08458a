import vine from '@vinejs/vine'
import { FrenchMessagesProvider, frenchMessages } from '#start/validator'
import { calendarDay } from '#core/calendar_day'

const COG = /^\d[\dAB]\d{3}$/

/**
 * The birth identity API Particulier is asked with, and the consent (required the first time).
 * Born in France (country 99100): the COG code of the commune of birth too.
 */
export const quotientRetrievalValidator = vine.compile(
  vine.object({
    birthName: vine.string().trim().minLength(1).maxLength(120),
    firstNames: vine.string().trim().minLength(1).maxLength(200),
    sex: vine.enum(['F', 'M'] as const),
    birthDate: calendarDay(),
    birthCountryCode: vine.string().trim().regex(/^99\d{3}$/),
    birthCommuneCode: vine.string().trim().toUpperCase().regex(COG).optional().requiredWhen('birthCountryCode', '=', '99100'),
    consent: vine.accepted().optional(),
  })
)

quotientRetrievalValidator.messagesProvider = new FrenchMessagesProvider({
  ...frenchMessages,
  'birthName.required': 'Indiquez votre nom de naissance.',
  'firstNames.required': 'Indiquez vos prénoms.',
  'sex.required': 'Indiquez votre sexe à l’état civil.',
  'birthDate.required': 'Indiquez votre date de naissance.',
  'birthCountryCode.regex': 'Le code du pays de naissance a 5 chiffres et commence par 99 (France : 99100).',
  'birthCommuneCode.required': 'Né(e) en France : indiquez le code INSEE de votre commune de naissance (5 caractères, exemple : 08480).',
  'birthCommuneCode.regex': 'Le code INSEE de la commune a 5 caractères (exemple : 08480 ; 2A004 en Corse).',
  'consent.accepted': 'Cochez la case pour donner votre accord.',
})

/** Signed in with FranceConnect: only the consent (required the first time); FranceConnect gives the identity. */
export const quotientFranceConnectValidator = vine.compile(vine.object({ consent: vine.accepted().optional() }))

quotientFranceConnectValidator.messagesProvider = new FrenchMessagesProvider({ ...frenchMessages, 'consent.accepted': 'Cochez la case pour donner votre accord.' })

/** 1 to 3 given names, separated by spaces or commas. */
export function splitFirstNames(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean)
}
