import vine from '@vinejs/vine'
import { FrenchMessagesProvider, frenchMessages } from '#start/validator'

const messages = new FrenchMessagesProvider(
  {
    ...frenchMessages,
    'service_id.required': 'Choisissez le service à qui écrire.',
    'service_id.number': 'Choisissez un service de la liste.',
    'topic_id.required': 'Choisissez le thème de votre message.',
    'topic_id.number': 'Choisissez un thème de la liste.',
    'body.required': 'Écrivez votre message.',
    'body.minLength': 'Votre message doit contenir au moins {{ min }} caractères.',
    'body.maxLength': 'Votre message doit contenir au plus {{ max }} caractères.',
    'subject.maxLength': "L'objet doit contenir au plus {{ max }} caractères.",
    'name.required': 'Indiquez le nom.',
    'direction.in': 'Ce déplacement n’est pas possible.',
  },
  {
    service_id: 'Service',
    topic_id: 'Thème',
    subject: 'Objet',
    body: 'Message',
    name: 'Nom',
  }
)

export const BODY_MAX = 10000

/** "NOUS ENVOYER UN MESSAGE": service and topic required, the topic checked against the service afterwards. */
export const newMessageValidator = vine.compile(
  vine.object({
    service_id: vine.number().withoutDecimals().positive(),
    topic_id: vine.number().withoutDecimals().positive(),
    subject: vine.string().trim().maxLength(200).optional(),
    body: vine.string().trim().minLength(2).maxLength(BODY_MAX),
    acknowledgement: vine.boolean().optional(),
  })
)
newMessageValidator.messagesProvider = messages

export const replyValidator = vine.compile(
  vine.object({
    body: vine.string().trim().minLength(2).maxLength(BODY_MAX),
    acknowledgement: vine.boolean().optional(),
    mark_done: vine.boolean().optional(),
  })
)
replyValidator.messagesProvider = messages

export const preferencesValidator = vine.compile(
  vine.object({
    email_notices: vine.boolean().optional(),
    email_new_messages: vine.boolean().optional(),
  })
)

export const assignValidator = vine.compile(
  vine.object({
    assigned_to: vine.number().withoutDecimals().positive().optional(),
  })
)
assignValidator.messagesProvider = messages

export const nameValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(160),
  })
)
nameValidator.messagesProvider = messages

export const moveValidator = vine.compile(
  vine.object({
    direction: vine.enum(['up', 'down'] as const),
  })
)
moveValidator.messagesProvider = messages
