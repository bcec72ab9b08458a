import Registration, { ACTIVE_STATES, STATE_LABELS } from '#modules/inscriptions/models/registration'
import { parisDayOf } from '#core/calendar_day'

/**
 * The activities each child is registered to, for the child's card on dossier's « Mes enfants »
 * (`dossier.child-card-lines`): requested, waiting or validated, and not over, in words
 * (« Accueil du matin — inscription validée »).
 */
export default async function childCardLines(childIds: number[]): Promise<Map<number, string[]>> {
  const today = parisDayOf()
  const registrations = await Registration.query()
    .whereIn('child_id', childIds)
    .whereIn('state', ACTIVE_STATES)
    .where((query) => query.whereNull('end_date').orWhere('end_date', '>=', today))
    .whereHas('activity', (activity) => activity.where('ends_on', '>=', today))
    .preload('activity')
    .orderBy('id')
  const lines = new Map<number, string[]>()
  for (const registration of registrations) {
    const line = `${registration.activity.name} — inscription ${STATE_LABELS[registration.state]}`
    lines.set(registration.childId, [...(lines.get(registration.childId) ?? []), line])
  }
  return lines
}
