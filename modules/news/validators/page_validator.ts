import vine from '@vinejs/vine'

export const pageValidator = vine.compile(
  vine.object({
    title: vine.string().trim().minLength(2).maxLength(200),
    slug: vine
      .string()
      .trim()
      .toLowerCase()
      .maxLength(80)
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    body: vine.string().trim().minLength(1).maxLength(50000),
  })
)
