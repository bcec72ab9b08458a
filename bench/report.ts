/*
 * What the bench prints and writes: the table of measures, the table of key figures against
 * their goals (bench/goals.ts), and the JSON file of `--json FILE`.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { KEY_FIGURES, KEY_FIGURE_NAMES, boundOf, meetsGoal, pastBound } from './goals.js'
import type { BenchFigures, KeyFigureName } from './types.js'

function ratio(value: number, base: number | undefined) {
  if (!base) return '—'
  const r = value / base
  return r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)
}

function printColumns(header: string[], lines: string[][]) {
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)))
  const format = (cells: string[]) => cells.map((cell, i) => (i ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ')
  console.log('\n' + format(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
  for (const line of lines) console.log(format(line))
}

export function printMeasures(rows: BenchFigures[], a?: BenchFigures, b?: BenchFigures) {
  const header = ['scénario', 'req/s', 'p99 ms', 'moy. ms', 'requêtes', 'non-2xx', 'req/s ÷ (a)', 'req/s ÷ (b)', 'p99 ÷ (a)', 'p99 ÷ (b)']
  printColumns(
    header,
    rows.map((row) => [
      row.name,
      row.requestsPerSecond.toFixed(0),
      String(row.p99),
      row.average.toFixed(2),
      String(row.requests),
      String(row.non2xx + row.errors),
      ratio(row.requestsPerSecond, row.http ? a?.requestsPerSecond : undefined),
      ratio(row.requestsPerSecond, row.http ? b?.requestsPerSecond : undefined),
      ratio(row.p99, row.http ? a?.p99 : undefined),
      ratio(row.p99, row.http ? b?.p99 : undefined),
    ])
  )
  for (const row of rows.filter((r) => r.note)) console.log(`  ${row.name} : ${row.note}`)
  console.log("  (ratios « — » : ligne qui n'est pas une mesure HTTP de ctx.measure, ses unités sont dans sa note)")
}

export interface KeyFigureRow {
  figure: KeyFigureName
  label: string
  value: number | null
  goal: number
  direction: 'min' | 'max'
  bound: number | null
  ok: boolean
  broken: boolean
}

export function keyFigureRows(values: Map<KeyFigureName, number>): KeyFigureRow[] {
  return KEY_FIGURE_NAMES.map((figure) => {
    const { label, goal, direction } = KEY_FIGURES[figure]
    const value = values.get(figure)
    const bound = boundOf(figure, values)
    return {
      figure,
      label,
      value: value === undefined || Number.isNaN(value) ? null : value,
      goal,
      direction,
      bound: bound ?? null,
      ok: meetsGoal(figure, value),
      broken: pastBound(figure, value, values),
    }
  })
}

/**
 * A value with the given digits, or with as many more as it takes (up to 6) to differ from the figure
 * it is read against: 0.695 against a goal of 0.70 must not read « 0.70 … non », nor a value past its
 * bound read as the bound itself.
 */
function apartFrom(value: number, reference: number, digits: number) {
  let shown = digits
  while (shown < 6 && value !== reference && value.toFixed(shown) === reference.toFixed(shown)) shown++
  return value.toFixed(shown)
}

/** A figure's value as the table shows it beside its goal. */
export function shownValue(figure: KeyFigureName, value: number) {
  const { digits, goal } = KEY_FIGURES[figure]
  return apartFrom(value, goal, digits)
}

/** Prints the table; returns the French sentences of the broken measurements (empty: none). */
export function printKeyFigures(rows: KeyFigureRow[]) {
  const shown = (row: KeyFigureRow, value: number) => value.toFixed(KEY_FIGURES[row.figure].digits)
  printColumns(
    ['figure', 'valeur', 'objectif', 'atteint ?'],
    rows.map((row) => [
      `${row.figure} — ${row.label}`,
      row.value === null ? 'non mesuré' : shownValue(row.figure, row.value),
      `${row.direction === 'min' ? '≥' : '≤'} ${shown(row, row.goal)}${row.bound === null ? '' : ` (borne ${shown(row, row.bound)})`}`,
      row.broken ? 'MESURE FAUSSE' : row.ok ? 'oui' : 'non',
    ])
  )
  return rows
    .filter((row) => row.broken)
    .map(
      (row) =>
        `La mesure « ${row.figure} » vaut ${apartFrom(row.value!, row.bound!, KEY_FIGURES[row.figure].digits)}, au-delà de sa borne physique ${shown(row, row.bound!)} : elle est fausse (une référence mal mesurée), pas bonne.`
    )
}

export interface BenchJson {
  figures: Record<string, { value: number | null; goal: number }>
  machine: { cores: number; loadavg_start: number[]; loadavg_end: number[]; node: string; date: string }
  database: 'sqlite' | 'pg'
  hash_baseline: { before: number | null; after: number | null; around_scenarios?: Array<{ scenario: string; before: number; after: number }>; used: string }
  rows: KeyFigureRow[]
  measures: BenchFigures[]
}

export function writeJson(file: string, content: BenchJson) {
  const path = resolve(file)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, JSON.stringify(content, null, 2) + '\n')
  return path
}

export function figuresOf(rows: KeyFigureRow[]): BenchJson['figures'] {
  return Object.fromEntries(rows.map((row) => [row.figure, { value: row.value, goal: row.goal }]))
}
