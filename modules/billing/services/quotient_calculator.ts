/*
 * The family quotient (CAF): (annual taxable resources / 12 + monthly benefits) / parts.
 * Parts come from the table in modules/billing/config/parts.ts. Pure; the simulator shows the working.
 */
import defaultParts, { type PartsTable } from '#modules/billing/config/parts'
import { formatEuros, formatMoney, formatNumber, plural } from '#core/french'

export interface Household {
  /** true for a single parent, false for a couple. */
  singleParent: boolean
  /** Dependent children. */
  children: number
  /** Among them, children with a disability. */
  disabledChildren?: number
}

export interface PartsDetail {
  parts: number
  steps: { label: string; parts: number }[]
}

function partsWord(value: number) {
  return plural(value, 'part')
}

export function familyParts(household: Household, table: PartsTable = defaultParts): PartsDetail {
  const steps: PartsDetail['steps'] = []
  // Halves as integers, so that 2 + 0.5 + 0.5 never drifts.
  let halves = Math.round((household.singleParent ? table.singleParent : table.couple) * 2)
  steps.push({ label: household.singleParent ? 'Parent seul' : 'Couple', parts: halves / 2 })
  for (let index = 0; index < household.children; index++) {
    const add = index < table.children.length ? table.children[index] : table.furtherChild
    halves += Math.round(add * 2)
    steps.push({ label: `${index + 1}${index === 0 ? 'er' : 'e'} enfant`, parts: add })
  }
  const disabled = Math.min(household.disabledChildren ?? 0, household.children)
  for (let index = 0; index < disabled; index++) {
    halves += Math.round(table.disabledChild * 2)
    steps.push({ label: 'Enfant en situation de handicap', parts: table.disabledChild })
  }
  return { parts: halves / 2, steps }
}

export interface QuotientInput extends Household {
  /** Annual taxable resources (revenus imposables), in cents. */
  annualResourcesCents: number
  /** Monthly benefits (prestations familiales), in cents. */
  monthlyBenefitsCents: number
}

export interface QuotientResult {
  /** Whole euros, rounded down as the CAF does. */
  quotient: number
  parts: number
  monthlyResourcesCents: number
  steps: string[]
}

export function computeQuotient(input: QuotientInput, table: PartsTable = defaultParts): QuotientResult {
  if (input.annualResourcesCents < 0 || input.monthlyBenefitsCents < 0) throw new Error('Montants négatifs')
  const detail = familyParts(input, table)
  // (resources / 12 + benefits) / parts, in cents, then down to whole euros.
  const monthlyNumerator = input.annualResourcesCents + 12 * input.monthlyBenefitsCents // × 1/12
  const halves = Math.round(detail.parts * 2)
  // quotient (euros) = monthlyNumerator / 12 / (halves / 2) / 100
  const quotient = Math.floor((monthlyNumerator * 2) / (12 * halves * 100))
  const monthlyResourcesCents = Math.floor(monthlyNumerator / 12)
  return {
    quotient,
    parts: detail.parts,
    monthlyResourcesCents,
    steps: [
      `Ressources mensuelles : ${formatMoney(input.annualResourcesCents)} / 12 + ${formatMoney(input.monthlyBenefitsCents)} = ${formatMoney(monthlyResourcesCents)}`,
      `Nombre de parts : ${detail.steps.map((step) => `${step.label} ${partsWord(step.parts)}`).join(' + ')} = ${partsWord(detail.parts)}`,
      `Quotient familial : ${formatMoney(monthlyResourcesCents)} / ${formatNumber(detail.parts)} = ${formatEuros(quotient)} (arrondi à l'euro inférieur)`,
    ],
  }
}
