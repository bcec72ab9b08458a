/*
 * The key figures of the performance issue (#14): each one's goal, its direction, and its
 * physical bound where one exists. A value past its bound is not a good figure but a broken
 * measurement (a ratio over the password hash above 1 means the baseline was wrong).
 */
import type { KeyFigureName } from './types.js'

export interface KeyFigureGoal {
  /** What the figure is, in the table. */
  label: string
  /** An informational figure has goal 0 (always met). */
  goal: number
  /** 'min': the value must be at least the goal; 'max': at most. */
  direction: 'min' | 'max'
  /** The value cannot physically exceed it. */
  bound?: number
  /**
   * The value cannot exceed this other figure of the same run (its measured ceiling), give or
   * take MEASURED_BOUND_NOISE: two measures a few seconds apart on a shared machine.
   */
  boundBy?: KeyFigureName
  /** Digits shown. */
  digits: number
}

export const KEY_FIGURES: Record<KeyFigureName, KeyFigureGoal> = {
  middleware_over_bare: { label: '(c) route + middleware web ÷ (b) route nue', goal: 0.2, direction: 'min', bound: 1, digits: 3 },
  home_over_bare: { label: "(d) page d'accueil ÷ (b) route nue", goal: 0.1, direction: 'min', bound: 1, digits: 3 },
  month_page_over_middleware: {
    label: 'page mensuelle ÷ route nue + middleware (connecté)',
    goal: 0.5,
    direction: 'min',
    bound: 1,
    boundBy: 'month_page_ceiling_over_middleware',
    digits: 2,
  },
  month_page_ceiling_over_middleware: {
    label: 'plafond (information) : les octets de la même page déjà rendue, mêmes middleware et connexion ÷ route nue + middleware (connecté)',
    goal: 0,
    direction: 'min',
    bound: 1,
    digits: 2,
  },
  month_page_rendered_over_middleware: {
    label: 'page rendue (information) : la même page demandée avec Cache-Control: no-cache, rendue à chaque fois ÷ route nue + middleware (connecté)',
    goal: 0,
    direction: 'min',
    bound: 1,
    digits: 2,
  },
  rush_journeys_over_hashes: { label: 'ruée : parcours/s ÷ hachages/s seuls', goal: 0.7, direction: 'min', bound: 1, digits: 2 },
  rush_month_page_p99_ms: { label: 'ruée : page mensuelle p99 (ms)', goal: 200, direction: 'max', digits: 0 },
  logins_over_hashes: { label: 'connexions/s ÷ hachages/s seuls', goal: 0.8, direction: 'min', bound: 1, digits: 2 },
  import_over_raw_inserts: { label: 'import ÷ insertions préparées brutes', goal: 0.25, direction: 'min', bound: 1, digits: 2 },
  hashes_per_second_alone: { label: 'hachages argon2id/s seuls (information)', goal: 0, direction: 'min', digits: 1 },
  rush_rss_mb: { label: 'ruée : mémoire résidente max du serveur (Mo)', goal: 300, direction: 'max', digits: 0 },
}

export const KEY_FIGURE_NAMES = Object.keys(KEY_FIGURES) as KeyFigureName[]

export function isKeyFigure(name: string): name is KeyFigureName {
  return Object.hasOwn(KEY_FIGURES, name)
}

/** The goal is met (a missing figure never meets it). */
export function meetsGoal(name: KeyFigureName, value: number | undefined) {
  const { goal, direction } = KEY_FIGURES[name]
  if (value === undefined || !Number.isFinite(value)) return false
  return direction === 'min' ? value >= goal : value <= goal
}

export const MEASURED_BOUND_NOISE = 1.1

/** The bound a value is checked against: its fixed one, and the figure it cannot exceed in this run. */
export function boundOf(name: KeyFigureName, values: Map<KeyFigureName, number>): number | undefined {
  const { bound, boundBy } = KEY_FIGURES[name]
  const measured = boundBy === undefined ? undefined : values.get(boundBy)
  const candidates = [bound, measured === undefined ? undefined : measured * MEASURED_BOUND_NOISE].filter((value) => value !== undefined)
  return candidates.length ? Math.min(...candidates) : undefined
}

/** Past its physical bound: the measurement is broken. */
export function pastBound(name: KeyFigureName, value: number | undefined, values: Map<KeyFigureName, number> = new Map()) {
  const bound = boundOf(name, values)
  return bound !== undefined && value !== undefined && value > bound
}
