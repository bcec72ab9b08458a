import vine from '@vinejs/vine'

export const OFFICE_EXTENSIONS = ['doc', 'docx', 'xls', 'xlsx', 'odt', 'ods', 'ppt', 'pptx', 'odp']

export const documentValidator = vine.compile(
  vine.object({
    title: vine.string().trim().minLength(2).maxLength(200),
    file: vine.file({ size: '40mb', extnames: ['pdf', ...OFFICE_EXTENSIONS] }),
  })
)
