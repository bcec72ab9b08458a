import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import { Activity } from '#modules/inscriptions/index'
import Tariff from '#modules/billing/models/tariff'
import { tariffValidator, fieldError } from '#modules/billing/validators/billing'
import { parseEuros } from '#modules/billing/services/form_state'
import {
  TARIFF_UNITS,
  UNIT_LABELS,
  formatCents,
  formatRate,
  ruleProblems,
  sortedBrackets,
  type Bracket,
  type TariffRule,
} from '#modules/billing/services/tariff_engine'
import audit from '#services/audit_service'

function money(field: string, raw: string | undefined, required = false): number | null {
  const cents = parseEuros(raw)
  if (cents === null && required) throw fieldError(field, 'Ce champ est obligatoire.')
  if (cents !== null && Number.isNaN(cents)) throw fieldError(field, 'Indiquez un montant en euros (exemple : 3,05).')
  return cents
}

/** "0 ; 0,50" per line: the QF where a bracket starts, then its price. */
export function parseBrackets(text: string): Bracket[] {
  const brackets: Bracket[] = []
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim()
    if (!line) continue
    const match = /^(\d{1,6})\s*[;:|\t]\s*([\d\s,.]+?)\s*€?$/.exec(line)
    const cents = match ? parseEuros(match[2]) : null
    if (!match || cents === null || Number.isNaN(cents)) {
      throw fieldError('brackets', `Ligne ${index + 1} : écrivez « quotient de début ; prix », par exemple « 400 ; 1,75 ».`)
    }
    brackets.push({ fromQf: Number(match[1]), priceCents: cents })
  }
  return sortedBrackets(brackets)
}

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
      brackets: data.model === 'brackets' ? parseBrackets(data.brackets ?? '') : [],
      nonResidentCents: money('nonResident', data.nonResident),
      lateSurchargeCents: money('lateSurcharge', data.lateSurcharge),
      siblingReductions: Object.fromEntries(
        [['2', data.sibling2], ['3', data.sibling3]].filter(([, value]) => value !== undefined && value !== 0)
      ) as Record<string, number>,
      regimeAdjustments: Object.fromEntries(
        [['MSA', data.regimeMsa], ['AUTRE', data.regimeAutre]].filter(([, value]) => value !== undefined && value !== 0)
      ),
    }
    if (data.model === 'linear') {
      const rate = (data.rate ?? '').replace(',', '.').replace(/\s|%/g, '')
      if (!/^\d+(\.\d{1,4})?$/.test(rate)) throw fieldError('rate', "Indiquez le taux d'effort en pourcentage (exemple : 0,36).")
      rule.rate = Math.round(Number(rate) * 10_000)
      rule.floorCents = money('floor', data.floor)
      rule.ceilingCents = money('ceiling', data.ceiling, true)
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
