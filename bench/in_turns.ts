/*
 * HTTP measures that are divided by one another, taken in turns. Measured one after the other,
 * a ratio compares two different minutes of a shared machine: in one run the signed-in bare
 * route read 2,092 req/s where every other run read 4,100, and the month page's ratio doubled
 * (0.16 → 0.32) with no change to the page. Taken in turns (A B C, A B C, …, slices of the same
 * length), a slow minute slows each of them, and each figure pools its slices: all its requests
 * over all its seconds.
 */
import type { BenchFigures, MeasureOptions } from './types.js'

/** What one autocannon slice of one measure gave. */
export interface Slice {
  requests: number
  seconds: number
  p99: number
  latencyAverage: number
  non2xx: number
  errors: number
}

/** Runs one measure for `seconds` (the runner: autocannon against the app). */
export type SliceRunner = (options: MeasureOptions, seconds: number) => Promise<Slice>

export const TURNS = 3

/** One figure from its slices: requests/s over the whole time, the worst p99, the slices' rates in the note. */
export function pooledFigures(options: MeasureOptions, slices: Slice[]): BenchFigures {
  const requests = slices.reduce((sum, slice) => sum + slice.requests, 0)
  const seconds = slices.reduce((sum, slice) => sum + slice.seconds, 0)
  const rates = slices.map((slice) => (slice.seconds > 0 ? slice.requests / slice.seconds : 0))
  const turnsNote = `${slices.length} tranches alternées avec les mesures comparées : ${rates.map((rate) => rate.toFixed(0)).join(' / ')} req/s`
  return {
    name: options.name,
    requestsPerSecond: seconds > 0 ? requests / seconds : 0,
    p99: Math.max(0, ...slices.map((slice) => slice.p99)),
    average: requests > 0 ? slices.reduce((sum, slice) => sum + slice.latencyAverage * slice.requests, 0) / requests : 0,
    requests,
    non2xx: slices.reduce((sum, slice) => sum + slice.non2xx, 0),
    errors: slices.reduce((sum, slice) => sum + slice.errors, 0),
    note: options.note ? `${options.note} ; ${turnsNote}` : turnsNote,
    http: true,
  }
}

/**
 * Each measure warmed up once (`warmup` seconds, not counted), then `turns` rounds in which
 * each measure runs `duration ÷ turns` seconds, in the order given: the same measuring time
 * each as one measure of `duration` seconds.
 */
export async function measureInTurns(
  measures: MeasureOptions[],
  run: SliceRunner,
  { duration, warmup, turns = TURNS }: { duration: number; warmup: number; turns?: number }
): Promise<BenchFigures[]> {
  if (warmup > 0) for (const options of measures) await run(options, warmup)
  const slices: Slice[][] = measures.map(() => [])
  for (let turn = 0; turn < turns; turn++) {
    for (const [index, options] of measures.entries()) slices[index].push(await run(options, duration / turns))
  }
  return measures.map((options, index) => pooledFigures(options, slices[index]))
}
