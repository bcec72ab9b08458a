import vine from '@vinejs/vine'
import { FrenchMessagesProvider, frenchMessages } from '#start/validator'
import { calendarDay, parisDayOf } from '#core/calendar_day'

/** A COG commune code: 5 characters, 2A/2B for Corsica (08480, 2A004). */
const COMMUNE = /^\d[\dAB]\d{3}$/
/** 1 to 3 given names, separated by spaces or commas. */
const ONE_TO_THREE_NAMES = /^[^\s,]+(?:[\s,]+[^\s,]+){0,2}$/

const notInFuture = vine.createRule((value, _options, field) => {
  if (typeof value === 'string' && value > parisDayOf()) field.report('La date de naissance ne peut pas être dans le futur.', 'notInFuture', field)
})

/**
 * A guardian's birth identity as the service enters or corrects it (the identity API Particulier
 * is asked with): every field may stay empty (the service may not know it), each one given is
 * checked; born in France (country 99100), the commune of birth is needed.
 */
export const guardianBirthIdentityValidator = vine.compile(
  vine.object({
    birthName: vine.string().trim().maxLength(120).optional(),
    birthFirstNames: vine.string().trim().maxLength(200).regex(ONE_TO_THREE_NAMES).optional(),
    birthSex: vine.enum(['F', 'M'] as const).optional(),
    birthDate: calendarDay().use(notInFuture()).optional(),
    birthCountryCode: vine.string().trim().regex(/^99\d{3}$/).optional(),
    birthCommuneCode: vine.string().trim().toUpperCase().regex(COMMUNE).optional().requiredWhen('birthCountryCode', '=', '99100'),
  })
)

guardianBirthIdentityValidator.messagesProvider = new FrenchMessagesProvider({
  ...frenchMessages,
  'birthName.maxLength': 'Le nom de naissance a 120 caractères au plus.',
  'birthFirstNames.regex': 'Indiquez trois prénoms au plus, dans l’ordre de l’état civil, séparés par des espaces.',
  'birthFirstNames.maxLength': 'Les prénoms ont 200 caractères au plus.',
  'birthSex.enum': 'Choisissez Féminin (F) ou Masculin (M).',
  'birthCountryCode.regex': 'Le code INSEE du pays de naissance a 5 chiffres et commence par 99 (France : 99100).',
  'birthCommuneCode.required': 'Né(e) en France (pays 99100) : indiquez le code INSEE de la commune de naissance (5 caractères, exemple : 08480).',
  'birthCommuneCode.regex': 'Le code INSEE de la commune a 5 caractères (exemple : 08480 ; 2A004 en Corse), ce n’est pas le code postal.',
})
