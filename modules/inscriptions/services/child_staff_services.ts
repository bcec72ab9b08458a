import db from '@adonisjs/lucid/services/db'
import { ACTIVE_STATES } from '#modules/inscriptions/models/registration'
import { todayIso } from '#modules/inscriptions/services/calendar'

/**
 * The services (`services.id`) running the activities a child is registered to, for dossier's
 * `dossier.child-staff-services` (whose agents may see the child's photo): the registrations
 * the child's card lists (requested, waiting or validated, and not over), through the
 * activity's type, in one query.
 */
export default async function childStaffServices(childId: number): Promise<number[]> {
  const today = todayIso()
  const rows = await db
    .from('registrations')
    .join('activities', 'activities.id', 'registrations.activity_id')
    .join('activity_types', 'activity_types.id', 'activities.activity_type_id')
    .where('registrations.child_id', childId)
    .whereIn('registrations.state', ACTIVE_STATES)
    .where((query) => query.whereNull('registrations.end_date').orWhere('registrations.end_date', '>=', today))
    .where('activities.ends_on', '>=', today)
    .whereNotNull('activity_types.service_id')
    .distinct('activity_types.service_id')
  return rows.map((row) => Number(row.service_id))
}
