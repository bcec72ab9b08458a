import vine from '@vinejs/vine'

/**
 * No extension list here: the body parser names a file by its first bytes (an old .doc is
 * "cfb"), so the type is checked by storeUpload, on the content and the name together.
 */
export const documentValidator = vine.compile(
  vine.object({
    title: vine.string().trim().minLength(2).maxLength(200),
    file: vine.file({ size: '40mb' }),
  })
)
