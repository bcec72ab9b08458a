import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import { Activity } from '#modules/inscriptions/index'
import Tariff from '#modules/billing/models/tariff'
import { tariffValidator, fieldError } from '#modules/billing/validators/billing'
import {
  TARIFF_UNITS,
  UNIT_LABELS,
  formatCents,
  formatRate,
  ruleProblems,
  sortedBrackets,
  type TariffRule,
} from '#modules/billing/services/tariff_engine'
import audit from '#services/audit_service'

function describe(tariff: Tariff) {
  const rule = tariff.rule
  const parts: string[] = []
  if (rule.model === 'brackets') {
    const list = sortedBrackets(rule.brackets ?? [])
    parts.push(list.map((bracket, index) => `${index + 1 < list.length ? `${bracket.fromQf}–<${list[index + 1].fromQf}` : `≥ ${bracket.fromQf}`} : ${formatCents(bracket.priceCents)}`).join(' ; '))
  } else {
    parts.push(`${formatRate(rule.rate ?? 0)} × QF, entre ${formatCents(rule.floorCents ?? 0)} et ${formatCents(rule.ceilingCents ?? 0)}`)
  }
  if (rule.nonResidentCents !== null && rule.nonResidentCents !== undefined) parts.push(`hors commune ${formatCents(rule.nonResidentCents)}`)
  if (rule.lateSurchargeCents) parts.push(`hors délai +${formatCents(rule.lateSurchargeCents)}`)
  const siblings = Object.entries(rule.siblingReductions ?? {}).filter(([, value]) => value)
  if (siblings.length) parts.push(`fratrie ${siblings.map(([rank, value]) => `${rank}e enfant -${value} %`).join(', ')}`)
  const regimes = Object.entries(rule.regimeAdjustments ?? {}).filter(([, value]) => value)
  if (regimes.length) parts.push(`régime ${regimes.map(([name, value]) => `${name} ${value! > 0 ? '+' : ''}${value} %`).join(', ')}`)
  return parts.join(' — ')
}

/** Tariffs by activity and period: a change is a new period, issued invoices keep their prices. */
export default class StaffTariffsController {
  async index({ view }: HttpContext) {
    const activities = await Activity.query().orderBy('name')
    const names = new Map(activities.map((activity) => [activity.id, activity.name]))
    const tariffs = await Tariff.query().orderBy('activity_id').orderBy('valid_from', 'desc')
    return view.render('billing::pages/staff/tariffs', {
      tariffs: tariffs.map((tariff) => ({
        tariff,
        activityName: names.get(tariff.activityId) ?? `Activité ${tariff.activityId}`,
        unitLabel: UNIT_LABELS[tariff.unit].per,
        description: describe(tariff),
      })),
      activityOptions: activities.map((activity) => ({ value: activity.id, label: activity.name })),
      unitOptions: TARIFF_UNITS.map((unit) => ({ value: unit, label: UNIT_LABELS[unit].one })),
    })
  }

  async store({ request, response, session, auth }: HttpContext) {
    const data = await request.validateUsing(tariffValidator)
    const activity = await Activity.find(data.activityId)
    if (!activity) throw fieldError('activityId', "Cette activité n'existe pas.")
    const validFrom = DateTime.fromJSDate(data.validFrom).toISODate()!
    const rule: TariffRule = {
      model: data.model,
      unit: data.unit,
      brackets: data.model === 'brackets' ? (data.brackets ?? []) : [],
      nonResidentCents: data.nonResident ?? null,
      lateSurchargeCents: data.lateSurcharge ?? null,
      siblingReductions: Object.fromEntries(
        [['2', data.sibling2], ['3', data.sibling3]].filter(([, value]) => value !== undefined && value !== 0)
      ) as Record<string, number>,
      regimeAdjustments: Object.fromEntries(
        [['MSA', data.regimeMsa], ['AUTRE', data.regimeAutre]].filter(([, value]) => value !== undefined && value !== 0)
      ),
    }
    if (data.model === 'linear') {
      rule.rate = data.rate
      rule.floorCents = data.floor ?? null
      rule.ceilingCents = data.ceiling
    }
    const problems = ruleProblems(rule)
    if (problems.length) throw fieldError(data.model === 'brackets' ? 'brackets' : 'rate', problems.join(' '))
    const existing = await Tariff.query().where('activity_id', activity.id).where('valid_from', validFrom).first()
    if (existing) throw fieldError('validFrom', 'Un tarif commence déjà à cette date pour cette activité : choisissez une autre date.')
    const user = auth.getUserOrFail()
    const tariff = await Tariff.create({
      activityId: activity.id,
      validFrom,
      model: rule.model,
      unit: rule.unit,
      brackets: rule.brackets ?? [],
      rate: rule.rate ?? null,
      floorCents: rule.floorCents ?? null,
      ceilingCents: rule.ceilingCents ?? null,
      nonResidentCents: rule.nonResidentCents ?? null,
      lateSurchargeCents: rule.lateSurchargeCents ?? null,
      siblingReductions: rule.siblingReductions ?? {},
      regimeAdjustments: rule.regimeAdjustments ?? {},
      createdBy: user.id,
    })
    await audit.record({
      actor: { id: user.id, fullName: user.fullName },
      action: 'billing.tariff.created',
      subjectType: 'billing_tariff',
      subjectId: tariff.id,
      details: { activityId: activity.id, validFrom },
    })
    session.flash('alert.success', `Tarif de « ${activity.name} » enregistré à partir du ${DateTime.fromISO(validFrom).toFormat('dd/MM/yyyy')}.`)
    return response.redirect().toRoute('billing.staff.tariffs')
  }
}
