import vine from '@vinejs/vine'

export const DATETIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/

export const articleValidator = vine.compile(
  vine.object({
    title: vine.string().trim().minLength(3).maxLength(200),
    summary: vine.string().trim().maxLength(500).optional(),
    body: vine.string().trim().minLength(1).maxLength(50000),
    status: vine.enum(['draft', 'published', 'scheduled'] as const),
    publishAt: vine.string().trim().regex(DATETIME_LOCAL).optional().requiredWhen('status', '=', 'scheduled'),
    image: vine.file({ size: '40mb', extnames: ['jpg', 'jpeg', 'png'] }).optional(),
    imageAlt: vine.string().trim().maxLength(250).optional().requiredIfExists('image'),
    removeImage: vine.boolean().optional(),
  })
)

/** The preview renders what was typed, without saving nor the image. */
export const articlePreviewValidator = vine.compile(
  vine.object({
    title: vine.string().trim().maxLength(200).optional(),
    summary: vine.string().trim().maxLength(500).optional(),
    body: vine.string().trim().maxLength(50000).optional(),
  })
)
