/*
 * The warm-up of the scenarios whose unit is a sign-in (the logins, the rush): a number of
 * operations, not seconds. V8 optimizes a function after enough calls: the runner's few seconds
 * of warm-up (-w) are thousands of requests for a page measured alone, but only ~150 rush journeys
 * or ~200 logins. Measured here in windows of 150–200 operations on a freshly started server, the
 * event loop and the compiler threads kept falling until the ~900th: a rush journey from 8.5 + 3.3 ms
 * (event loop + GC and compilation) to 6.3 + 1.1 ms, a login from 6.0 + 0.8 ms to 3.3 + 0.3 ms. A
 * portal on the morning of the rush has run for days; measuring its first few hundred sign-ins
 * measures V8 compiling the code as much as the code.
 */
import type { BenchContext } from './types.js'

const WINDOW = 200

/**
 * Runs `operation(0 … count-1)`, `concurrency` at a time, and gives the server's CPU per
 * operation of each window of 200 (event loop + GC and compilation, in ms): printed by the
 * scenario, so that a reader sees where the server settled.
 */
export async function warmUpBy(ctx: BenchContext, count: number, concurrency: number, operation: (index: number) => Promise<unknown>) {
  const windows: string[] = []
  let next = 0
  while (next < count) {
    const first = next
    const end = Math.min(count, first + WINDOW)
    const cpu = ctx.watchServerCpu()
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < end) await operation(next++)
      })
    )
    const used = cpu.stop()
    windows.push(`${(used.mainMs / (end - first)).toFixed(1)} + ${(used.otherMs / (end - first)).toFixed(1)}`)
  }
  return `CPU du serveur par opération, par tranche de ${WINDOW} (boucle d'événements + ramasse-miettes et compilation, ms) : ${windows.join(' ; ')}`
}

/** The number of warm-up operations: `variable` from the environment, `fallback` by default, none with -w 0. */
export function warmUpCount(ctx: BenchContext, variable: string, fallback: number) {
  if (ctx.warmup <= 0) return 0
  const value = Number(process.env[variable] ?? fallback)
  return Number.isInteger(value) && value >= 0 ? value : fallback
}
