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

/** Monday to Friday of the week form; index 0 is Monday. */
export const WEEK_DAY_COUNT = 5

function dayFields() {
  const fields: Record<string, ReturnType<typeof optionalText>> = {}
  for (let index = 0; index < WEEK_DAY_COUNT; index++) {
    fields[`starter_${index}`] = optionalText(200)
    fields[`mainCourse_${index}`] = optionalText(300)
    fields[`dessert_${index}`] = optionalText(200)
    fields[`allergens_${index}`] = optionalText(300)
  }
  return fields
}

function optionalText(max: number) {
  return vine.string().trim().maxLength(max).optional()
}

/** A whole week at once: a day with a main course is saved, an emptied day is removed. */
export const menuWeekValidator = vine.compile(
  vine.object({
    school: vine.string().trim().maxLength(120).optional(),
    week: vine.date({ formats: ['YYYY-MM-DD'] }),
    ...dayFields(),
  })
)
