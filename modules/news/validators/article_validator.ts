import vine from '@vinejs/vine'
import { DateTime } from 'luxon'
import { ZONE } from '#core/format'
import { FrenchMessagesProvider, frenchMessages } from '#start/validator'

export const DATETIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/

/** A day and time in Paris (an `<input type="datetime-local">`) that exists and is still to come. */
const futureInParis = vine.createRule((value, _options, field) => {
  const instant = DateTime.fromISO(String(value), { zone: ZONE })
  if (!instant.isValid) field.report("Cette date n'est pas valide.", 'dateTime', field)
  else if (instant <= DateTime.now()) field.report('La date doit être dans le futur.', 'future', field)
})

/**
 * `meta.hasImage`: the article already has an image, kept unless « removeImage » is ticked;
 * an image, new or kept, needs its description.
 */
export const articleValidator = vine.withMetaData<{ hasImage: boolean }>().compile(
  vine
    .object({
      title: vine.string().trim().minLength(3).maxLength(200),
      summary: vine.string().trim().maxLength(500).optional(),
      body: vine.string().trim().minLength(1).maxLength(50000),
      status: vine.enum(['draft', 'published', 'scheduled'] as const),
      image: vine.file({ size: '40mb', extnames: ['jpg', 'jpeg', 'png'] }).optional(),
      imageAlt: vine
        .string()
        .trim()
        .maxLength(250)
        .optional()
        .requiredWhen((field) => Boolean(field.parent.image) || (field.meta.hasImage && !vine.helpers.isTrue(field.parent.removeImage))),
      removeImage: vine.boolean().optional(),
    })
    .merge(
      vine.group([
        vine.group.if((data) => data.status === 'scheduled', { publishAt: vine.string().trim().regex(DATETIME_LOCAL).use(futureInParis()) }),
        vine.group.else({ publishAt: vine.string().trim().regex(DATETIME_LOCAL).optional() }),
      ])
    )
)

articleValidator.messagesProvider = new FrenchMessagesProvider({
  ...frenchMessages,
  'imageAlt.required': "Décrivez l'image pour les personnes qui ne la voient pas.",
  'publishAt.future': 'La date de publication doit être dans le futur ; pour publier tout de suite, choisissez « Publiée ».',
})

/** The preview renders what was typed, without saving nor the image. */
export const articlePreviewValidator = vine.compile(
  vine.object({
    title: vine.string().trim().maxLength(200).optional(),
    summary: vine.string().trim().maxLength(500).optional(),
    body: vine.string().trim().maxLength(50000).optional(),
  })
)
