import vine from '@vinejs/vine'
import { FrenchMessagesProvider, frenchMessages } from '#start/validator'

/** The guardian's invitation: the address, the children picked up, the weekdays (none: every day). */
export const pickupAccessValidator = vine.compile(
  vine.object({
    email: vine.string().trim().toLowerCase().maxLength(254).email(),
    childIds: vine.array(vine.number().withoutDecimals().positive()).minLength(1).distinct(),
    weekdays: vine.array(vine.number().withoutDecimals().range([1, 7])).distinct().optional(),
  })
)

pickupAccessValidator.messagesProvider = new FrenchMessagesProvider({
  ...frenchMessages,
  'childIds.required': 'Choisissez au moins un enfant.',
  'childIds.minLength': 'Choisissez au moins un enfant.',
  'childIds.array': 'Choisissez au moins un enfant.',
})
