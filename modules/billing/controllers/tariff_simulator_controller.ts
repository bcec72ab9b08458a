import type { HttpContext } from '@adonisjs/core/http'
import { computeQuotient, type QuotientResult } from '#modules/billing/services/quotient_calculator'
import tariffService from '#modules/billing/services/tariff_service'
import { REGIMES, UNIT_LABELS, type Regime } from '#modules/billing/services/tariff_engine'
import { parseEuros, parseWhole, shareFormState } from '#modules/billing/services/form_state'

const FIELDS = ['qf', 'annualResources', 'monthlyBenefits', 'household', 'children', 'disabledChildren', 'resident', 'regime', 'rank'] as const

/** SIMULATIONS TARIFAIRES: public, no login, a GET form that works without JavaScript. */
export default class TariffSimulatorController {
  async show(ctx: HttpContext) {
    const query = ctx.request.qs()
    const values: Record<string, string> = {}
    for (const name of FIELDS) if (typeof query[name] === 'string') values[name] = query[name]
    const submitted = Object.keys(values).length > 0
    const errors: Record<string, string[]> = {}
    const fail = (field: string, message: string) => (errors[field] = [...(errors[field] ?? []), message])

    let quotient: number | null = null
    let working: QuotientResult | null = null
    let situation: { resident: boolean; regime: Regime; rank: number } = { resident: true, regime: 'CAF', rank: 1 }

    if (submitted) {
      const qf = parseWhole(values.qf, 0, 100_000)
      const resources = parseEuros(values.annualResources)
      const benefits = parseEuros(values.monthlyBenefits)
      const children = parseWhole(values.children, 0, 20)
      const disabled = parseWhole(values.disabledChildren, 0, 20)
      const rank = parseWhole(values.rank, 1, 3)
      if (Number.isNaN(qf)) fail('qf', 'Indiquez un quotient en euros, nombre entier (exemple : 850).')
      if (Number.isNaN(resources)) fail('annualResources', 'Indiquez un montant en euros (exemple : 36 000 ou 36 000,50).')
      if (Number.isNaN(benefits)) fail('monthlyBenefits', 'Indiquez un montant en euros (exemple : 150 ou 150,25).')
      if (Number.isNaN(children)) fail('children', "Indiquez un nombre d'enfants de 0 à 20.")
      if (Number.isNaN(disabled)) fail('disabledChildren', "Indiquez un nombre d'enfants de 0 à 20.")
      if (disabled && children !== null && !Number.isNaN(children) && disabled > children) {
        fail('disabledChildren', "Ce nombre ne peut pas dépasser le nombre d'enfants.")
      }
      if (values.household && !['couple', 'single'].includes(values.household)) fail('household', "Cette valeur n'est pas proposée.")
      if (values.resident && !['yes', 'no'].includes(values.resident)) fail('resident', "Cette valeur n'est pas proposée.")
      if (values.regime && !REGIMES.includes(values.regime as Regime)) fail('regime', "Cette valeur n'est pas proposée.")
      if (Number.isNaN(rank)) fail('rank', "Cette valeur n'est pas proposée.")
      if (qf === null && resources === null && !errors.qf && !errors.annualResources) {
        fail('qf', 'Indiquez votre quotient familial, ou vos ressources ci-dessous pour le calculer.')
      }
      if (qf === null && resources !== null && !Number.isNaN(resources) && children === null) {
        fail('children', "Indiquez le nombre d'enfants à charge pour calculer le nombre de parts.")
      }
      if (!Object.keys(errors).length) {
        if (qf !== null) {
          quotient = qf
        } else {
          working = computeQuotient({
            annualResourcesCents: resources!,
            monthlyBenefitsCents: benefits ?? 0,
            singleParent: values.household === 'single',
            children: children ?? 0,
            disabledChildren: disabled ?? 0,
          })
          quotient = working.quotient
        }
        situation = { resident: values.resident !== 'no', regime: (values.regime as Regime) || 'CAF', rank: rank ?? 1 }
      }
    }

    shareFormState(ctx, values, errors)
    const prices =
      quotient === null
        ? []
        : await tariffService.priceList({ familyQuotient: quotient, resident: situation.resident, regime: situation.regime, siblingRank: situation.rank })
    return ctx.view.render('billing::pages/simulator', {
      submitted,
      hasErrors: Object.keys(errors).length > 0,
      quotient,
      working,
      situation,
      prices: prices.map((row) => ({
        type: row.activity.activityType?.name ?? '',
        name: row.activity.name,
        unitCents: row.price.unitCents,
        per: UNIT_LABELS[row.tariff.unit].per,
        lateSurchargeCents: row.price.lateSurchargeCents,
        steps: row.price.steps,
        from: row.from,
      })),
    })
  }
}
