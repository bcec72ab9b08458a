import vine from '@vinejs/vine'
import { isCalendarDay } from '#core/calendar_day'

/** The other field as this field's kind (a number, or a YYYY-MM-DD day); null when absent or not one, its own rules say why. */
function comparable(value: unknown, other: unknown): number | string | null {
  if (other === undefined || other === null || other === '') return null
  if (typeof value === 'number') {
    const number = Number(other)
    return Number.isFinite(number) ? number : null
  }
  const day = String(other).trim()
  return isCalendarDay(day) ? day : null
}

/**
 * Not below another field of the same form: a period's end on or after its start (days written
 * YYYY-MM-DD compare as text), a maximum at least the minimum. Nothing to say when the other
 * field is empty or wrong.
 */
export const atLeastField = vine.createRule((value, otherField: string, field) => {
  const other = comparable(value, field.parent?.[otherField])
  if (other !== null && (value as number | string) < other) field.report('Cette valeur doit être au moins celle du champ {{ otherField }}.', 'atLeastField', field, { otherField })
})
