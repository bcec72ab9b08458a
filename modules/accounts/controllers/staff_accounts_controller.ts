import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import audit from '#services/audit_service'
import ForbiddenException from '#exceptions/forbidden_exception'
import User from '#modules/accounts/models/user'
import accountService, { AccountConflictError } from '#modules/accounts/services/account_service'
import sessionService from '#modules/accounts/services/session_service'
import { accountSearchValidator, staffAccountValidator } from '#modules/accounts/validators/accounts'
import { flashFieldErrors, validateForm } from '#modules/accounts/controllers/form'
import { formatDateTime } from '#core/format'
import { de } from '#core/french'
import { pageNumber } from '#core/pagination'
import userSearch from '#modules/accounts/services/user_search'

export const ROLE_LABELS = { parent: 'Famille', staff: 'Agent', admin: 'Administrateur', pickup: 'Accès en lecture (personne autorisée)' } as const

/** The state in words, for the status badge, with its detail (until when, since when). */
export function stateOf(user: User, now = DateTime.utc()) {
  if (user.state === 'active') return { status: 'active', label: 'Actif', detail: null }
  if (user.state === 'disabled') return { status: 'disabled', label: 'Désactivé', detail: null }
  if (!user.activationSentAt || !user.activationExpiresAt) {
    return { status: 'pending', label: 'En attente', detail: "lien d'activation pas encore envoyé" }
  }
  if (user.activationExpiresAt <= now) {
    return { status: 'expired', label: 'Lien expiré', detail: `depuis le ${formatDateTime(user.activationExpiresAt)}` }
  }
  return { status: 'pending', label: 'En attente', detail: `activation possible jusqu'au ${formatDateTime(user.activationExpiresAt)}` }
}

/** Who may act on which account: agents on families' accounts, administrators on all but their own. */
function assertCanManage(actor: User, target: User) {
  if (actor.id === target.id) throw new ForbiddenException('Vous ne pouvez pas modifier votre propre compte ici')
  if (target.isStaff && !actor.isAdmin) throw new ForbiddenException('Seul un administrateur gère les comptes des agents')
}

export default class StaffAccountsController {
  async index(ctx: HttpContext) {
    const { request, view } = ctx
    const filters = await accountSearchValidator.validate(request.qs()).catch(() => ({}) as Record<string, any>)
    const query = User.query().orderBy('fullName').orderBy('id')
    if (filters.q) {
      await userSearch.refresh()
      query.whereRaw(...userSearch.condition(filters.q))
    }
    if (filters.state) query.where('state', filters.state)
    if (filters.role) query.where('role', filters.role)
    const page = await query.paginate(pageNumber(request.input('page')), 20)
    const params = new URLSearchParams()
    for (const key of ['q', 'state', 'role'] as const) if (filters[key]) params.set(key, String(filters[key]))
    const baseUrl = router.makeUrl('staff.accounts.index') + (params.size ? `?${params}` : '')
    const staffIds = page.all().filter((user) => user.isStaff).map((user) => user.id)
    const links: { user_id: number; name: string }[] = staffIds.length
      ? await db
          .from('user_services')
          .join('services', 'services.id', 'user_services.service_id')
          .whereIn('user_services.user_id', staffIds)
          .orderBy('services.position')
          .select('user_services.user_id', 'services.name')
      : []
    const rows = page.all().map((user) => {
      const services = links.filter((link) => link.user_id === user.id).map((link) => link.name)
      return { user, state: stateOf(user), role: ROLE_LABELS[user.role] + (services.length ? ` (${services.join(', ')})` : '') }
    })
    return view.render('accounts::pages/staff/index', {
      rows,
      meta: page.getMeta(),
      total: page.total,
      baseUrl,
      filters,
    })
  }

  async create({ view }: HttpContext) {
    const services = await db.from('services').orderBy('position').orderBy('name').select('id', 'name')
    return view.render('accounts::pages/staff/create', { services })
  }

  async store(ctx: HttpContext) {
    const { auth, response, session } = ctx
    const actor = auth.getUserOrFail()
    const data = await validateForm(ctx, staffAccountValidator)
    if (!data) return response.redirect().toRoute('staff.accounts.create')
    const serviceIds = data.service_ids?.length
      ? (await db.from('services').whereIn('id', data.service_ids).select('id')).map((row: { id: number }) => row.id)
      : []
    let user: User
    try {
      user = await accountService.createPendingAccount({
        username: data.username,
        email: data.email,
        fullName: data.full_name,
        role: data.role,
        serviceIds,
      })
    } catch (error) {
      if (!(error instanceof AccountConflictError)) throw error
      flashFieldErrors(ctx, { [error.field]: [error.message] }, ['full_name', 'email', 'username', 'role', 'service_ids'])
      return response.redirect().toRoute('staff.accounts.create')
    }
    await audit.record({ actor, action: 'accounts.staff_created', subjectType: 'user', subjectId: user.id, details: { role: user.role } })
    try {
      await accountService.sendActivation(user)
      session.flash('alert.success', `Le compte ${de(user.fullName)} (${user.username}) est créé ; le lien d'activation lui a été envoyé.`)
    } catch {
      session.flash('alert.warning', `Le compte ${de(user.fullName)} est créé, mais le courriel n'a pas pu partir : renvoyez l'activation plus tard.`)
    }
    return response.redirect().toRoute('staff.accounts.index')
  }

  async resendActivation({ auth, params, response, session }: HttpContext) {
    const actor = auth.getUserOrFail()
    const user = await User.findOrFail(params.id)
    assertCanManage(actor, user)
    if (user.state !== 'pending') {
      session.flash('alert.error', "Ce compte n'est pas en attente d'activation.")
    } else if (user.isReadOnly) {
      session.flash('alert.error', "C'est un accès en lecture : le responsable qui l'a proposé renvoie l'invitation depuis son dossier.")
    } else if (!user.email) {
      session.flash('alert.error', "Ce compte n'a pas d'adresse électronique : complétez-la d'abord.")
    } else {
      try {
        const link = await accountService.sendActivation(user)
        await audit.record({ actor, action: 'accounts.activation_sent', subjectType: 'user', subjectId: user.id })
        session.flash('alert.success', `Un nouveau lien d'activation a été envoyé à ${user.email}, valable jusqu'au ${formatDateTime(link.expiresAt)}.`)
      } catch {
        session.flash('alert.error', `Le courriel à ${user.email} n'a pas pu partir. Réessayez plus tard.`)
      }
    }
    return response.redirect().toRoute('staff.accounts.index')
  }

  async disable({ auth, params, response, session }: HttpContext) {
    const actor = auth.getUserOrFail()
    const user = await User.findOrFail(params.id)
    assertCanManage(actor, user)
    if (user.state !== 'disabled') {
      user.state = 'disabled'
      await user.save()
      await sessionService.endSessions(user.id)
      await audit.record({ actor, action: 'accounts.disabled', subjectType: 'user', subjectId: user.id })
    }
    session.flash('alert.success', `Le compte ${de(user.fullName)} est désactivé : il ne peut plus se connecter.`)
    return response.redirect().toRoute('staff.accounts.index')
  }

  async enable({ auth, params, response, session }: HttpContext) {
    const actor = auth.getUserOrFail()
    const user = await User.findOrFail(params.id)
    assertCanManage(actor, user)
    if (user.state === 'disabled') {
      user.state = user.password && user.activatedAt ? 'active' : 'pending'
      await user.save()
      await audit.record({ actor, action: 'accounts.enabled', subjectType: 'user', subjectId: user.id })
    }
    session.flash(
      'alert.success',
      user.state === 'active'
        ? `Le compte ${de(user.fullName)} est réactivé.`
        : `Le compte ${de(user.fullName)} est de nouveau en attente d'activation : renvoyez-lui le lien.`
    )
    return response.redirect().toRoute('staff.accounts.index')
  }
}
