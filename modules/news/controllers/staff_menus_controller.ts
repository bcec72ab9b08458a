import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { DateTime } from 'luxon'
import audit from '#services/audit_service'
import CanteenMenu from '#modules/news/models/canteen_menu'
import db from '@adonisjs/lucid/services/db'
import { plural } from '#core/format'
import menuService, { menuDayLabel, weekLabel, weekStart } from '#modules/news/services/menu_service'
import { menuValidator, menuWeekValidator, WEEK_DAY_COUNT } from '#modules/news/validators/menu_validator'
import { fieldError } from '#modules/news/validators/field_error'

function formValues(menu?: CanteenMenu) {
  return {
    school: menu?.school ?? '',
    day: menu?.day ?? '',
    starter: menu?.starter ?? '',
    mainCourse: menu?.mainCourse ?? '',
    dessert: menu?.dessert ?? '',
    allergens: menu?.allergens ?? '',
  }
}

function weekErrorLabels(monday: DateTime) {
  const labels: Record<string, string> = { school: 'École', week: 'Semaine' }
  for (let index = 0; index < WEEK_DAY_COUNT; index++) {
    const day = menuDayLabel(monday.plus({ days: index }).toISODate()!)
    labels[`starter_${index}`] = `Entrée du ${day}`
    labels[`mainCourse_${index}`] = `Plat du ${day}`
    labels[`dessert_${index}`] = `Dessert du ${day}`
    labels[`allergens_${index}`] = `Allergènes du ${day}`
  }
  return labels
}

/** Canteen menus, day by day or a week at once, per school when there are several. */
export default class StaffMenusController {
  async index({ request, view }: HttpContext) {
    const week = await menuService.week(request.input('semaine'))
    const weekHref = (school: string) =>
      `${router.makeUrl('news.staff.menus.week')}?${new URLSearchParams({ semaine: week.monday.toISODate()!, ...(school ? { ecole: school } : {}) })}`
    return view.render('news::pages/staff/menus/index', { week, menuDayLabel, weekHref })
  }

  async create({ request, view }: HttpContext) {
    const values = formValues()
    const day = DateTime.fromISO(String(request.input('jour', '')))
    if (day.isValid) values.day = day.toISODate()!
    return view.render('news::pages/staff/menus/form', { menu: null, values })
  }

  async store(ctx: HttpContext) {
    const menu = new CanteenMenu()
    menu.authorId = ctx.auth.getUserOrFail().id
    await this.save(ctx, menu, 'news.menu.created')
    ctx.session.flash('alert.success', `Le menu du ${menuDayLabel(menu.day)} est enregistré.`)
    return ctx.response.redirect().toRoute('news.staff.menus.index', {}, { qs: { semaine: menu.day } })
  }

  async edit({ params, view }: HttpContext) {
    const menu = await CanteenMenu.findOrFail(params.id)
    return view.render('news::pages/staff/menus/form', { menu, values: formValues(menu) })
  }

  async update(ctx: HttpContext) {
    const menu = await CanteenMenu.findOrFail(ctx.params.id)
    await this.save(ctx, menu, 'news.menu.updated')
    ctx.session.flash('alert.success', `Le menu du ${menuDayLabel(menu.day)} est mis à jour.`)
    return ctx.response.redirect().toRoute('news.staff.menus.index', {}, { qs: { semaine: menu.day } })
  }

  async destroy({ auth, params, response, session }: HttpContext) {
    const user = auth.getUserOrFail()
    const menu = await CanteenMenu.findOrFail(params.id)
    await menu.delete()
    await audit.record({
      actor: { id: user.id, fullName: user.fullName },
      action: 'news.menu.deleted',
      subjectType: 'news_canteen_menu',
      subjectId: menu.id,
      details: { school: menu.school, day: menu.day },
    })
    session.flash('alert.success', `Le menu du ${menuDayLabel(menu.day)} est supprimé.`)
    return response.redirect().toRoute('news.staff.menus.index', {}, { qs: { semaine: menu.day } })
  }

  /** The week form: five days at once, filled with what is already saved. */
  async editWeek({ request, view }: HttpContext) {
    const monday = weekStart(request.input('semaine'))
    const school = String(request.input('ecole', '')).trim()
    const menus = await CanteenMenu.query()
      .where('school', school)
      .whereBetween('day', [monday.toISODate()!, monday.plus({ days: WEEK_DAY_COUNT - 1 }).toISODate()!])
    const days = Array.from({ length: WEEK_DAY_COUNT }, (_, index) => {
      const day = monday.plus({ days: index }).toISODate()!
      const menu = menus.find((one) => one.day === day)
      return {
        index,
        day,
        label: menuDayLabel(day),
        starter: menu?.starter ?? '',
        mainCourse: menu?.mainCourse ?? '',
        dessert: menu?.dessert ?? '',
        allergens: menu?.allergens ?? '',
      }
    })
    return view.render('news::pages/staff/menus/week', { monday, label: weekLabel(monday), school, days, labels: weekErrorLabels(monday) })
  }

  async saveWeek({ auth, request, response, session }: HttpContext) {
    const user = auth.getUserOrFail()
    const data = (await request.validateUsing(menuWeekValidator)) as Record<string, any>
    const monday = weekStart(DateTime.fromJSDate(data.week).toISODate())
    const school = (data.school as string | undefined) ?? ''
    let saved = 0
    let removed = 0
    await db.transaction(async (trx) => {
      for (let index = 0; index < WEEK_DAY_COUNT; index++) {
        const day = monday.plus({ days: index }).toISODate()!
        const existing = await CanteenMenu.query({ client: trx }).where({ school, day }).first()
        const mainCourse = data[`mainCourse_${index}`] as string | undefined
        if (!mainCourse) {
          if (existing) {
            await existing.delete()
            removed++
          }
          continue
        }
        const menu = existing ?? new CanteenMenu()
        menu.useTransaction(trx)
        if (!existing) menu.authorId = user.id
        menu.merge({
          school,
          day,
          starter: data[`starter_${index}`] ?? null,
          mainCourse,
          dessert: data[`dessert_${index}`] ?? null,
          allergens: data[`allergens_${index}`] ?? null,
          updatedById: user.id,
        })
        await menu.save()
        saved++
      }
      await audit.record(
        {
          actor: { id: user.id, fullName: user.fullName },
          action: 'news.menu.week_saved',
          subjectType: 'news_canteen_menu',
          details: { school, week: monday.toISODate(), saved, removed },
        },
        trx
      )
    })
    session.flash('alert.success', `Les menus de la semaine ${weekLabel(monday)}${school ? ` (${school})` : ''} sont enregistrés : ${plural(saved, 'jour')}.`)
    return response.redirect().toRoute('news.staff.menus.index', {}, { qs: { semaine: monday.toISODate() } })
  }

  private async save({ auth, request }: HttpContext, menu: CanteenMenu, action: string) {
    const user = auth.getUserOrFail()
    const data = await request.validateUsing(menuValidator)
    const day = DateTime.fromJSDate(data.day).toISODate()!
    const school = data.school ?? ''
    const clash = CanteenMenu.query().where({ school, day })
    if (menu.id) clash.whereNot('id', menu.id)
    if (await clash.first()) {
      throw fieldError('day', `Un menu existe déjà pour ce jour${school ? ` à « ${school} »` : ''} : modifiez-le plutôt.`, 'unique')
    }
    menu.merge({
      school,
      day,
      starter: data.starter ?? null,
      mainCourse: data.mainCourse,
      dessert: data.dessert ?? null,
      allergens: data.allergens ?? null,
      updatedById: user.id,
    })
    await menu.save()
    await audit.record({ actor: { id: user.id, fullName: user.fullName }, action, subjectType: 'news_canteen_menu', subjectId: menu.id })
  }
}
