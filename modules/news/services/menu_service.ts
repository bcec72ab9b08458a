import { DateTime } from 'luxon'
import { ZONE } from '#core/format'
import CanteenMenu from '#modules/news/models/canteen_menu'

export interface MenuWeek {
  monday: DateTime
  label: string
  previous: string
  next: string
  schools: { name: string; days: CanteenMenu[] }[]
}

/** The Monday of the week asked for (?semaine=2026-11-23), or of this week (next one at the weekend). */
export function weekStart(requested?: string | null, now: DateTime = DateTime.now().setZone(ZONE)): DateTime {
  const asked = requested ? DateTime.fromISO(requested, { zone: ZONE }) : null
  if (asked?.isValid) return asked.startOf('week')
  const today = now.setZone(ZONE).startOf('day')
  return (today.weekday >= 6 ? today.plus({ weeks: 1 }) : today).startOf('week')
}

/** "du 23 au 27 novembre 2026" */
export function weekLabel(monday: DateTime): string {
  const friday = monday.plus({ days: 4 })
  const end = friday.setLocale('fr').toFormat('d LLLL yyyy')
  const start = monday.month === friday.month ? String(monday.day) : monday.setLocale('fr').toFormat(monday.year === friday.year ? 'd LLLL' : 'd LLLL yyyy')
  return `du ${start} au ${end}`
}

class MenuService {
  async week(requested?: string | null): Promise<MenuWeek> {
    const monday = weekStart(requested)
    const menus = await CanteenMenu.query()
      .whereBetween('day', [monday.toISODate()!, monday.plus({ days: 6 }).toISODate()!])
      .orderBy('school')
      .orderBy('day')
    const bySchool = new Map<string, CanteenMenu[]>()
    for (const menu of menus) {
      bySchool.set(menu.school, [...(bySchool.get(menu.school) ?? []), menu])
    }
    return {
      monday,
      label: weekLabel(monday),
      previous: monday.minus({ weeks: 1 }).toISODate()!,
      next: monday.plus({ weeks: 1 }).toISODate()!,
      schools: [...bySchool.entries()].map(([name, days]) => ({ name, days })),
    }
  }
}

/** "lundi 23/11" */
export function menuDayLabel(day: string): string {
  return DateTime.fromISO(day, { zone: ZONE }).setLocale('fr').toFormat('cccc dd/MM')
}

const menuService = new MenuService()
export default menuService
