import vine from '@vinejs/vine'
import { menuDayLabel, weekStart } from '#modules/news/services/menu_service'

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

/** A day with a starter, a dessert or allergens needs its main course; the message names the day. */
const mainCourseOfFilledDay = vine.createRule(
  (value, index: number, field) => {
    if (value) return
    if (!['starter', 'dessert', 'allergens'].some((name) => String(field.parent[`${name}_${index}`] ?? '').trim())) return
    const day = menuDayLabel(weekStart(String(field.data.week ?? '')).plus({ days: index }).toISODate()!)
    field.report('Indiquez le plat du {{ day }}, ou videz les autres champs de ce jour.', 'dayMainCourse', field, { day })
  },
  { implicit: true }
)

function dayFields() {
  const fields: Record<string, ReturnType<typeof optionalText>> = {}
  for (let index = 0; index < WEEK_DAY_COUNT; index++) {
    fields[`starter_${index}`] = optionalText(200)
    fields[`mainCourse_${index}`] = optionalText(300).use(mainCourseOfFilledDay(index))
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
