import vine from '@vinejs/vine'

export const menuValidator = vine.compile(
  vine.object({
    school: vine.string().trim().maxLength(120).optional(),
    day: vine.date({ formats: ['YYYY-MM-DD'] }),
    starter: vine.string().trim().maxLength(200).optional(),
    mainCourse: vine.string().trim().minLength(2).maxLength(300),
    dessert: vine.string().trim().maxLength(200).optional(),
    allergens: vine.string().trim().maxLength(300).optional(),
  })
)
