import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { familyService } from '#modules/dossier/index'
import { formatDateLong, plural } from '#core/format'
import { parisDayOf } from '#core/calendar_day'

/** The Planning tile's live line: coming booked days and the next one. */
export async function upcomingSummary(ctx: HttpContext): Promise<string | null> {
  const family = await familyService.familyForUser(ctx.auth.user)
  if (!family) return null
  const today = parisDayOf()
  const rows = await db.from('planning_bookings').where('family_id', family.id).where('day', '>=', today).orderBy('day').select('day').limit(500)
  if (!rows.length) return 'Aucun jour réservé à venir'
  return `${plural(rows.length, 'jour réservé', 'jours réservés')} à venir, le prochain le ${formatDateLong(rows[0].day)}`
}
