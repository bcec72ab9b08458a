import { writeFile, readFile } from 'node:fs/promises'
import { flags } from '@adonisjs/core/ace'
import ModuleCommand from '#core/module_command'

/**
 * For bench/rush.ts only: prepares N parents (one child each, registered to one activity with
 * 10 days of limited places, and 10 more a month later for the warm-up) and writes their logins
 * to a JSON file; with --check, verifies that
 * no day holds more bookings than places and that every counter equals its booking rows.
 */
export default class PlanningBenchRush extends ModuleCommand {
  static commandName = 'planning:bench-rush'
  static description = 'Banc d’essai du planning : prépare la ruée (N parents) ou vérifie qu’aucun jour n’est surréservé (--check)'
  static module = 'planning'

  @flags.number({ description: 'Nombre de parents à créer', default: 50 })
  declare parents: number

  @flags.number({ description: 'Places par jour (par tranche d’âge et dans la salle)', default: 20 })
  declare places: number

  @flags.string({ description: 'Fichier JSON des identifiants (écrit, ou lu avec --check)', required: true })
  declare file: string

  @flags.boolean({ description: 'Vérifie les compteurs au lieu de préparer' })
  declare check: boolean

  async run() {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    if (this.check) {
      const data = JSON.parse(await readFile(this.file, 'utf8'))
      const days = await db.from('activity_days').whereIn('id', [...data.dayIds, ...(data.warmUpDayIds ?? [])])
      let problems = 0
      let bookings = 0
      for (const day of days) {
        const rows = await db.from('planning_bookings').where('activity_day_id', day.id).select('age_group')
        const under6 = rows.filter((row) => row.age_group === 'under6').length
        const over6 = rows.length - under6
        bookings += rows.length
        const ok =
          under6 === Number(day.booked_under6) &&
          over6 === Number(day.booked_over6) &&
          under6 <= Number(day.capacity_under6) &&
          over6 <= Number(day.capacity_over6) &&
          rows.length <= Number(day.room_capacity)
        if (!ok) {
          problems += 1
          this.logger.error(`Jour ${day.day} : ${rows.length} réservations, compteurs ${day.booked_under6}+${day.booked_over6}, salle ${day.room_capacity}`)
        }
      }
      this.logger.info(`${days.length} jours vérifiés, ${bookings} réservations, ${problems} ${problems >= 2 ? 'jours' : 'jour'} en défaut.`)
      if (problems) this.exitCode = 1
      return
    }

    const { DateTime } = await import('luxon')
    const { default: hash } = await import('@adonisjs/core/services/hash')
    const { CGU_VERSION } = await import('#modules/accounts/index')
    const { ActivityType, Activity } = await import('#modules/inscriptions/index')
    const { default: PlanningSetting } = await import('#modules/planning/models/planning_setting')

    const stamp = () => DateTime.utc().toFormat(db.connection().dialect.dateTimeFormat)
    const password = 'Ruee-De-La-Rentree-2026'
    const passwordHash = await hash.use('argon').make(password)
    const run = Date.now().toString(36)
    const today = DateTime.now().setZone('Europe/Paris')
    // Next month, or the one after when next month starts within a week (its first days' booking deadline may be past).
    const first = today.plus({ days: 7 }).plus({ months: 1 }).startOf('month')
    const type = await ActivityType.create({ name: `Banc ${run}`, position: 99 })
    const activity = await Activity.create({
      activityTypeId: type.id,
      name: `Ruée ${run}`,
      startsOn: today.toISODate()!,
      endsOn: first.plus({ months: 2 }).toISODate()!,
      places: null,
      registeredCount: 0,
      feeCents: 0,
      autoAccept: true,
      cancellationDeadlineDays: 0,
      requiredDocuments: [],
      weekdays: [1, 2, 3, 4, 5],
      unitLabel: 'jour',
    })
    await PlanningSetting.create({
      activityId: activity.id,
      roomCapacity: this.places,
      ratioKind: 'holiday',
      staffUnder6: 0,
      staffOver6: 0,
      capacityUnder6: this.places,
      capacityOver6: this.places,
      holidayMode: 'all',
      bookingOpensOn: null,
      bookingDeadline: { kind: 'days_before', days: 2, time: '12:00', skipWeekends: true },
      cancelDeadline: { kind: 'days_before', days: 2, time: '12:00', skipWeekends: true },
    })
    /** The first 10 weekdays from `from`, each with the command's places. */
    const tenDays = async (from: typeof first) => {
      const ids: number[] = []
      for (let cursor = from; ids.length < 10; cursor = cursor.plus({ days: 1 })) {
        if (cursor.weekday > 5) continue
        const [id] = await db
          .table('activity_days')
          .insert({
            activity_id: activity.id,
            day: cursor.toISODate(),
            room_capacity: this.places,
            capacity_under6: this.places,
            capacity_over6: this.places,
            booked_under6: 0,
            booked_over6: 0,
            closed: false,
            created_at: stamp(),
            updated_at: stamp(),
          })
          .returning('id')
        ids.push(Number(typeof id === 'object' ? id.id : id))
      }
      return ids
    }
    const dayIds = await tenDays(first)
    // The warm-up's days: the same 10 days a month later, so the warm-up books as the rush does
    // (places taken, then refused) and leaves the rush's days untouched.
    const warmUpMonth = first.plus({ months: 1 })
    const warmUpDayIds = await tenDays(warmUpMonth)
    const logins: { username: string; childId: number }[] = []
    await db.transaction(async (trx) => {
      for (let n = 1; n <= this.parents; n++) {
        const username = `ruee-${run}-${n}`
        const [user] = await trx
          .table('users')
          .insert({ username, email: `${username}@bench.exemple.fr`, full_name: `Parent ${n}`, password: passwordHash, role: 'parent', state: 'active', cgu_version: CGU_VERSION, cgu_accepted_at: stamp(), created_at: stamp(), updated_at: stamp() })
          .returning('id')
        const userId = Number(typeof user === 'object' ? user.id : user)
        const [family] = await trx.table('families').insert({ reference: `R-${run}-${n}`, regime: 'CAF', resident: true, created_at: stamp(), updated_at: stamp() }).returning('id')
        const familyId = Number(typeof family === 'object' ? family.id : family)
        await trx.table('guardians').insert({ family_id: familyId, last_name: `Nom${n}`, first_name: 'Parent', user_id: userId, position: 1, created_at: stamp(), updated_at: stamp() })
        const [child] = await trx
          .table('children')
          .insert({ family_id: familyId, reference: 'E1', last_name: `Nom${n}`, first_name: 'Enfant', birth_date: n % 2 ? '2016-05-05' : today.minus({ years: 4 }).toISODate(), pai: false, vaccinations_up_to_date: true, image_rights: false, created_at: stamp(), updated_at: stamp() })
          .returning('id')
        const childId = Number(typeof child === 'object' ? child.id : child)
        await trx.table('registrations').insert({ family_id: familyId, child_id: childId, activity_id: activity.id, state: 'validated', active_key: 1, start_date: today.toISODate(), created_at: stamp(), updated_at: stamp() })
        logins.push({ username, childId })
      }
    })
    await writeFile(this.file, JSON.stringify({ password, month: first.toISODate(), activityId: activity.id, dayIds, warmUpMonth: warmUpMonth.toISODate(), warmUpDayIds, logins }))
    this.logger.info(`${this.parents} parents prêts, ${dayIds.length} jours de ${this.places} places (et autant le mois suivant pour l’échauffement) : ${this.file}`)
  }
}
