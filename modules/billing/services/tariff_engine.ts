import { formatEuros, formatMoney } from '#core/french'

/*
 * The tariff engine: pure functions from a tariff rule and a family's situation to a unit
 * price in integer cents, with the working shown in French (the public simulator prints it).
 */

export type TariffModel = 'brackets' | 'linear'
export type TariffUnit = 'meal' | 'hour' | 'half_hour' | 'half_day' | 'day' | 'session'
export type Regime = 'CAF' | 'MSA' | 'AUTRE'

export const TARIFF_UNITS: TariffUnit[] = ['meal', 'hour', 'half_hour', 'half_day', 'day', 'session']
export const REGIMES: Regime[] = ['CAF', 'MSA', 'AUTRE']

/** "repas", "heure"... singular and plural, for lines and the simulator. */
export const UNIT_LABELS: Record<TariffUnit, { one: string; many: string; per: string }> = {
  meal: { one: 'repas', many: 'repas', per: 'le repas' },
  hour: { one: 'heure', many: 'heures', per: "l'heure" },
  half_hour: { one: 'demi-heure', many: 'demi-heures', per: 'la demi-heure' },
  half_day: { one: 'demi-journée', many: 'demi-journées', per: 'la demi-journée' },
  day: { one: 'journée', many: 'journées', per: 'la journée' },
  session: { one: 'séance', many: 'séances', per: 'la séance' },
}

export function unitQuantity(unit: TariffUnit, quantity: number) {
  return `${quantity} ${quantity > 1 ? UNIT_LABELS[unit].many : UNIT_LABELS[unit].one}`
}

/** One bracket: from this QF (whole euros, inclusive) up to the next bracket's start. */
export interface Bracket {
  fromQf: number
  priceCents: number
}

export interface TariffRule {
  model: TariffModel
  unit: TariffUnit
  /** brackets model: sorted or not, the first one should start at 0. */
  brackets?: Bracket[]
  /** linear model: the rate (taux d'effort) in ten-thousandths of a percent (0.36 % = 3600). */
  rate?: number
  floorCents?: number | null
  ceilingCents?: number | null
  /** Fixed price for families living outside the commune (replaces the QF price). */
  nonResidentCents?: number | null
  /** Added per booking made after the deadline. */
  lateSurchargeCents?: number | null
  /** Percentage reductions by sibling rank ({ 2: 10, 3: 20 }); the highest rank listed applies beyond. */
  siblingReductions?: Record<string, number>
  /** Percentage adjustment by regime ({ AUTRE: 10 } adds 10 %; negative reduces). */
  regimeAdjustments?: Partial<Record<Regime, number>>
}

export interface FamilySituation {
  /** QF in whole euros; null when not on file (highest tariff). */
  familyQuotient: number | null
  resident?: boolean
  regime?: Regime
  /** 1 for the eldest child billed, 2 for the next... */
  siblingRank?: number
}

export interface PriceStep {
  label: string
  cents: number
}

export interface PriceResult {
  /** The unit price, in cents, modifiers applied (late surcharge apart). */
  unitCents: number
  /** The surcharge of one late booking (0 when none). */
  lateSurchargeCents: number
  unit: TariffUnit
  steps: PriceStep[]
}

/** Rounds a non-negative rational numerator/denominator to the nearest integer, halves up. */
export function roundDiv(numerator: number, denominator: number): number {
  const sign = numerator < 0 ? -1 : 1
  const n = Math.abs(numerator)
  return sign * Math.floor((2 * n + denominator) / (2 * denominator))
}

export function sortedBrackets(brackets: Bracket[]): Bracket[] {
  return [...brackets].sort((a, b) => a.fromQf - b.fromQf)
}

/** The price the grid gives a QF; no QF → the highest price of the grid. */
export function bracketPrice(brackets: Bracket[], qf: number | null): number {
  if (!brackets.length) throw new Error('Grille de tarifs vide')
  const sorted = sortedBrackets(brackets)
  if (qf === null) return Math.max(...sorted.map((bracket) => bracket.priceCents))
  let price = sorted[0].priceCents
  for (const bracket of sorted) {
    if (qf >= bracket.fromQf) price = bracket.priceCents
  }
  return price
}

/** rate × QF clamped between floor and ceiling; no QF → the ceiling. */
export function linearPrice(rate: number, qf: number | null, floorCents?: number | null, ceilingCents?: number | null): number {
  if (qf === null) {
    if (ceilingCents === null || ceilingCents === undefined) throw new Error('Tarif linéaire sans plafond : prix sans QF impossible')
    return ceilingCents
  }
  // QF (euros) × rate (1/10 000 %) → euros × 1/1 000 000 → cents: QF × rate / 10 000.
  let cents = roundDiv(qf * rate, 10_000)
  if (floorCents !== null && floorCents !== undefined) cents = Math.max(cents, floorCents)
  if (ceilingCents !== null && ceilingCents !== undefined) cents = Math.min(cents, ceilingCents)
  return cents
}

export function siblingReduction(rule: TariffRule, rank: number): number {
  const table = rule.siblingReductions ?? {}
  const ranks = Object.keys(table)
    .map(Number)
    .filter((value) => Number.isInteger(value) && value >= 2)
    .sort((a, b) => a - b)
  let percent = 0
  for (const listed of ranks) {
    if (rank >= listed) percent = table[String(listed)]
  }
  return percent
}

export function formatCents(cents: number): string {
  return formatMoney(cents)
}

export function formatRate(rate: number): string {
  return `${(rate / 10_000).toLocaleString('fr-FR', { maximumFractionDigits: 4 })} %`
}

/** The unit price of a rule for a family, with each step explained. */
export function priceFor(rule: TariffRule, situation: FamilySituation): PriceResult {
  const steps: PriceStep[] = []
  const qf = situation.familyQuotient
  let cents: number
  const resident = situation.resident ?? true

  if (!resident && rule.nonResidentCents !== null && rule.nonResidentCents !== undefined) {
    cents = rule.nonResidentCents
    steps.push({ label: 'Tarif hors commune (prix fixe)', cents })
  } else if (rule.model === 'brackets') {
    cents = bracketPrice(rule.brackets ?? [], qf)
    steps.push({
      label: qf === null ? 'Quotient familial non connu : tarif de la tranche la plus haute' : `Tranche du quotient familial ${formatEuros(qf)}`,
      cents,
    })
  } else {
    const rate = rule.rate ?? 0
    cents = linearPrice(rate, qf, rule.floorCents, rule.ceilingCents)
    if (qf === null) {
      steps.push({ label: 'Quotient familial non connu : tarif plafond', cents })
    } else {
      const raw = roundDiv(qf * rate, 10_000)
      steps.push({ label: `Taux d'effort ${formatRate(rate)} × QF ${formatEuros(qf)} = ${formatCents(raw)}`, cents: raw })
      if (raw !== cents) {
        steps.push({
          label: raw < cents ? `Plancher appliqué (${formatCents(cents)})` : `Plafond appliqué (${formatCents(cents)})`,
          cents,
        })
      }
    }
  }

  const regimePercent = resident || rule.nonResidentCents === null || rule.nonResidentCents === undefined
    ? (rule.regimeAdjustments?.[situation.regime ?? 'CAF'] ?? 0)
    : 0
  if (regimePercent) {
    cents = roundDiv(cents * (100 + regimePercent), 100)
    steps.push({ label: `Régime ${situation.regime} : ${regimePercent > 0 ? '+' : ''}${regimePercent} %`, cents })
  }

  const reduction = siblingReduction(rule, situation.siblingRank ?? 1)
  if (reduction) {
    cents = roundDiv(cents * (100 - reduction), 100)
    steps.push({ label: `Réduction fratrie (${situation.siblingRank}e enfant) : -${reduction} %`, cents })
  }

  return { unitCents: Math.max(0, cents), lateSurchargeCents: rule.lateSurchargeCents ?? 0, unit: rule.unit, steps }
}

/** Checks a rule before it is stored; returns French sentences, empty when valid. */
export function ruleProblems(rule: TariffRule): string[] {
  const problems: string[] = []
  if (!TARIFF_UNITS.includes(rule.unit)) problems.push("L'unité n'est pas proposée.")
  if (rule.model === 'brackets') {
    const brackets = sortedBrackets(rule.brackets ?? [])
    if (!brackets.length) problems.push('La grille doit avoir au moins une tranche.')
    if (brackets.length && brackets[0].fromQf !== 0) problems.push('La première tranche doit commencer au quotient 0.')
    const starts = new Set<number>()
    for (const bracket of brackets) {
      if (!Number.isInteger(bracket.fromQf) || bracket.fromQf < 0) problems.push('Chaque tranche commence à un quotient entier positif.')
      if (!Number.isInteger(bracket.priceCents) || bracket.priceCents < 0) problems.push('Chaque prix est un montant positif.')
      if (starts.has(bracket.fromQf)) problems.push(`Deux tranches commencent au quotient ${bracket.fromQf}.`)
      starts.add(bracket.fromQf)
    }
  } else if (rule.model === 'linear') {
    if (!rule.rate || rule.rate <= 0) problems.push("Le taux d'effort doit être positif.")
    if (rule.ceilingCents === null || rule.ceilingCents === undefined) problems.push('Le tarif linéaire a besoin d’un plafond (prix sans quotient connu).')
    if (
      rule.floorCents !== null && rule.floorCents !== undefined &&
      rule.ceilingCents !== null && rule.ceilingCents !== undefined &&
      rule.floorCents > rule.ceilingCents
    ) {
      problems.push('Le plancher dépasse le plafond.')
    }
  } else {
    problems.push("Le modèle de tarif n'est pas proposé.")
  }
  for (const [rank, percent] of Object.entries(rule.siblingReductions ?? {})) {
    if (!(Number(rank) >= 2) || percent < 0 || percent > 100) problems.push('Les réductions fratrie vont de 0 à 100 %, à partir du 2e enfant.')
  }
  return [...new Set(problems)]
}
