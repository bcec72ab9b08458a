import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import audit from '#services/audit_service'
import CanteenMenu from '#modules/news/models/canteen_menu'
import menuService, { menuDayLabel } from '#modules/news/services/menu_service'
import { menuValidator } from '#modules/news/validators/menu_validator'
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

/** Canteen menus, day by day, per school when there are several. */
export default class StaffMenusController {
  async index({ request, view }: HttpContext) {
    const week = await menuService.week(request.input('semaine'))
    return view.render('news::pages/staff/menus/index', { week, menuDayLabel })
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
