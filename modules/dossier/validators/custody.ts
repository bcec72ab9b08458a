import vine from '@vinejs/vine'
import { FrenchMessagesProvider, frenchMessages } from '#start/validator'
import { calendarDay } from '#core/calendar_day'

const messages = new FrenchMessagesProvider({
  ...frenchMessages,
  'otherFamilyReference.required': "Indiquez la référence du dossier de l'autre foyer.",
  'evenWeeks.required': 'Choisissez le foyer des semaines paires.',
  'evenWeeks.enum': 'Choisissez le foyer des semaines paires.',
  'startsOn.required': 'Indiquez la date de début de la garde alternée.',
  'endsOn.required': 'Indiquez le dernier jour de la garde alternée.',
  'endsOn.notBeforeStart': 'La fin ne peut pas précéder le début de la garde alternée ({{ startsOn }}).',
})

/** Staff set up a shared custody: the other household (by its file's reference), who has the even weeks, from when. */
export const custodyValidator = vine.compile(
  vine.object({
    otherFamilyReference: vine.string().trim().minLength(1).maxLength(40),
    evenWeeks: vine.enum(['child_family', 'other_family'] as const),
    startsOn: calendarDay(),
  })
)
custodyValidator.messagesProvider = messages

const notBeforeStart = vine.createRule((value, _options, field) => {
  if (typeof value === 'string' && value < String(field.meta.startsOn ?? '')) {
    field.report('La fin ne peut pas précéder le début.', 'notBeforeStart', field, { startsOn: field.meta.startsOnText })
  }
})

/** Its end: the last day shared, not before its start (meta: startsOn, startsOnText). */
export const custodyEndValidator = vine.compile(
  vine.object({
    endsOn: calendarDay().use(notBeforeStart()),
  })
)
custodyEndValidator.messagesProvider = messages
