import { readFileSync } from 'node:fs'
import app from '@adonisjs/core/services/app'

/**
 * The RGAA 4.1 audit kept in the repository (docs/accessibility/audit.json, described in its
 * README): the sample, the environment and each criterion's result. The declaration at
 * /accessibilite and the footer's status are computed from it, never written by hand.
 */

export type CriterionResult = 'C' | 'NC' | 'NA'

export interface AuditCriterion {
  number: string
  title: string
  result: CriterionResult
  evidence: string
}

export interface AuditPage {
  id: string
  name: string
  urlPattern: string
  route: string
  states: string[]
}

export interface AccessibilityAudit {
  referential: string
  date: string
  method: string
  technologies: string[]
  environment: { browser: string; assistiveTechnology: string; os: string }[]
  tools: string[]
  sample: AuditPage[]
  derogations: { content: string; reason: string }[]
  exemptions: { content: string; reason: string }[]
  history: { date: string; conforming: number; applicable: number; note: string }[]
  criteria: AuditCriterion[]
}

export type ConformanceStatus = 'totalement conforme' | 'partiellement conforme' | 'non conforme'

/** The 13 themes of the RGAA 4.1 and how many criteria each has: 106 in all. */
export const RGAA_41_THEMES: { number: number; name: string; criteria: number }[] = [
  { number: 1, name: 'Images', criteria: 9 },
  { number: 2, name: 'Cadres', criteria: 2 },
  { number: 3, name: 'Couleurs', criteria: 3 },
  { number: 4, name: 'Multimédia', criteria: 13 },
  { number: 5, name: 'Tableaux', criteria: 8 },
  { number: 6, name: 'Liens', criteria: 2 },
  { number: 7, name: 'Scripts', criteria: 5 },
  { number: 8, name: 'Éléments obligatoires', criteria: 10 },
  { number: 9, name: 'Structuration de l’information', criteria: 4 },
  { number: 10, name: 'Présentation de l’information', criteria: 14 },
  { number: 11, name: 'Formulaires', criteria: 13 },
  { number: 12, name: 'Navigation', criteria: 11 },
  { number: 13, name: 'Consultation', criteria: 12 },
]

/** "1.1" … "13.12", in the order of the referential. */
export const RGAA_41_CRITERIA: string[] = RGAA_41_THEMES.flatMap((theme) =>
  Array.from({ length: theme.criteria }, (_, index) => `${theme.number}.${index + 1}`)
)

export const AUDIT_PATH = 'docs/accessibility/audit.json'

/** What is wrong with an audit file: criteria missing, duplicated or unknown, results other than C/NC/NA, no evidence. */
export function auditProblems(audit: AccessibilityAudit): string[] {
  const problems: string[] = []
  const seen = new Map<string, number>()
  for (const criterion of audit.criteria ?? []) seen.set(criterion.number, (seen.get(criterion.number) ?? 0) + 1)
  for (const number of RGAA_41_CRITERIA) {
    if (!seen.has(number)) problems.push(`critère ${number} absent`)
  }
  for (const [number, count] of seen) {
    if (!RGAA_41_CRITERIA.includes(number)) problems.push(`critère ${number} inconnu du RGAA 4.1`)
    if (count > 1) problems.push(`critère ${number} présent ${count} fois`)
  }
  for (const criterion of audit.criteria ?? []) {
    if (!['C', 'NC', 'NA'].includes(criterion.result)) problems.push(`critère ${criterion.number} : résultat « ${criterion.result} »`)
    if (!criterion.title?.trim()) problems.push(`critère ${criterion.number} sans intitulé`)
    if (!criterion.evidence?.trim()) problems.push(`critère ${criterion.number} sans justification`)
  }
  if (!Array.isArray(audit.sample) || audit.sample.length === 0) problems.push('échantillon vide')
  return problems
}

/** Status from the rate, as the RGAA says: 100 % totally, at least 50 % partially, below non-conforming. */
export function conformanceStatus(rate: number): ConformanceStatus {
  if (rate >= 100) return 'totalement conforme'
  if (rate >= 50) return 'partiellement conforme'
  return 'non conforme'
}

export interface AuditSummary {
  conforming: number
  nonConforming: number
  notApplicable: number
  applicable: number
  /** C / (C + NC) × 100, not rounded */
  rate: number
  status: ConformanceStatus
  nonConformities: AuditCriterion[]
  themes: { number: number; name: string; criteria: AuditCriterion[] }[]
  states: number
}

export function summarizeAudit(audit: AccessibilityAudit): AuditSummary {
  const count = (result: CriterionResult) => audit.criteria.filter((criterion) => criterion.result === result).length
  const conforming = count('C')
  const nonConforming = count('NC')
  const applicable = conforming + nonConforming
  const rate = applicable === 0 ? 100 : (conforming / applicable) * 100
  const order = (criterion: AuditCriterion) => RGAA_41_CRITERIA.indexOf(criterion.number)
  const sorted = [...audit.criteria].sort((a, b) => order(a) - order(b))
  return {
    conforming,
    nonConforming,
    notApplicable: count('NA'),
    applicable,
    rate,
    status: conformanceStatus(rate),
    nonConformities: sorted.filter((criterion) => criterion.result === 'NC'),
    themes: RGAA_41_THEMES.map((theme) => ({
      ...theme,
      criteria: sorted.filter((criterion) => criterion.number.split('.')[0] === String(theme.number)),
    })),
    states: audit.sample.reduce((total, page) => total + page.states.length, 0),
  }
}

export function readAudit(path = app.makePath(AUDIT_PATH)): AccessibilityAudit {
  return JSON.parse(readFileSync(path, 'utf8')) as AccessibilityAudit
}

let loaded: { audit: AccessibilityAudit; summary: AuditSummary } | null = null

/** The audit and its summary, read once (the file ships with the code, it changes with a release). */
export function accessibilityDeclaration(): { audit: AccessibilityAudit; summary: AuditSummary } {
  if (!loaded) {
    const audit = readAudit()
    loaded = { audit, summary: summarizeAudit(audit) }
  }
  return loaded
}

/** For the footer: "partiellement conforme"; without a readable audit, "non conforme" (what the law says of an unaudited site). */
export function accessibilityStatus(): ConformanceStatus {
  try {
    return accessibilityDeclaration().summary.status
  } catch {
    return 'non conforme'
  }
}
