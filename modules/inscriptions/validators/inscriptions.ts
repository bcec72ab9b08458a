import vine from '@vinejs/vine'
import { calendarDay as isoDay } from '#core/calendar_day'
import { atLeastField } from '#core/field_order'
import { FrenchMessagesProvider, frenchMessages } from '#start/validator'

export const requestValidator = vine.compile(
  vine.object({
    activityTypeId: vine.number().withoutDecimals().positive(),
    childId: vine.number().withoutDecimals().positive(),
    activityId: vine.number().withoutDecimals().positive(),
    startDate: isoDay(),
  })
)

export const refusalValidator = vine.compile(
  vine.object({
    reason: vine.string().trim().minLength(3).maxLength(500),
  })
)

/** Refusing needs its reason (told to the families); validating ignores one. */
export const bulkDecisionValidator = vine.compile(
  vine
    .object({
      ids: vine.array(vine.number().withoutDecimals().positive()).minLength(1).maxLength(500),
    })
    .merge(
      vine.group([
        vine.group.if((data) => data.decision === 'refuse', {
          decision: vine.literal('refuse'),
          reason: vine.string().trim().minLength(3).maxLength(500),
        }),
        vine.group.else({
          decision: vine.enum(['validate'] as const),
          reason: vine.string().trim().maxLength(500).optional(),
        }),
      ])
    )
)

export const reorderValidator = vine.compile(
  vine.object({
    rank: vine.number().withoutDecimals().min(1).max(10000),
    reason: vine.string().trim().minLength(3).maxLength(500),
  })
)

export const activityTypeValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(120),
    description: vine.string().trim().maxLength(2000).optional(),
    position: vine.number().withoutDecimals().min(0).max(999).optional(),
    serviceId: vine.number().withoutDecimals().positive().optional(),
  })
)

export const activityValidator = vine.compile(
  vine.object({
    activityTypeId: vine.number().withoutDecimals().positive(),
    name: vine.string().trim().minLength(2).maxLength(160),
    startsOn: isoDay(),
    endsOn: isoDay().use(atLeastField('startsOn')),
    minAgeMonths: vine.number().withoutDecimals().min(0).max(300).optional(),
    maxAgeMonths: vine.number().withoutDecimals().min(0).max(300).use(atLeastField('minAgeMonths')).optional(),
    schoolLevels: vine.string().trim().maxLength(300).optional(),
    places: vine.number().withoutDecimals().min(0).max(100000).optional(),
    structureName: vine.string().trim().maxLength(160).optional(),
    registrationOpensOn: isoDay().optional(),
    registrationClosesOn: isoDay().use(atLeastField('registrationOpensOn')).optional(),
    fee: vine
      .string()
      .trim()
      .regex(/^\d{1,6}([.,]\d{1,2})?$/)
      .optional(),
    displayedAmount: vine
      .string()
      .trim()
      .regex(/^\d{1,6}([.,]\d{1,2})?$/)
      .optional(),
    autoAccept: vine.boolean().optional(),
    cancellationDeadlineDays: vine.number().withoutDecimals().min(0).max(365),
    requiredDocuments: vine.string().trim().maxLength(2000).optional(),
    weekdays: vine
      .array(vine.number().withoutDecimals().range([1, 7]))
      .minLength(1)
      .maxLength(7),
    unitLabel: vine.string().trim().minLength(2).maxLength(40),
  })
)

activityValidator.messagesProvider = new FrenchMessagesProvider({
  ...frenchMessages,
  'endsOn.atLeastField': 'La date de fin doit être le jour du début ou après.',
  'maxAgeMonths.atLeastField': "L'âge maximum doit être supérieur ou égal à l'âge minimum.",
  'registrationClosesOn.atLeastField': "La clôture des inscriptions doit être le jour de l'ouverture ou après.",
})

const REASON_NEEDED = 'Le motif du refus est obligatoire pour refuser des demandes.'

bulkDecisionValidator.messagesProvider = new FrenchMessagesProvider({
  ...frenchMessages,
  'reason.required': REASON_NEEDED,
  'reason.minLength': REASON_NEEDED,
})

/** Also said by the controller when the chosen service no longer exists. */
export const UNKNOWN_SERVICE = 'Choisissez un service de la liste.'

activityTypeValidator.messagesProvider = new FrenchMessagesProvider({
  ...frenchMessages,
  'serviceId.number': UNKNOWN_SERVICE,
  'serviceId.withoutDecimals': UNKNOWN_SERVICE,
  'serviceId.positive': UNKNOWN_SERVICE,
})
