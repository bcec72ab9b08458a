/*
 * Worker of the billing benchmark (run by generate.ts in its own process, on the bench's
 * database): seeds N families with one child each, 20 booked days in planning for one month,
 * then times the real invoice run (planning's feed → invoices), and the longest another request
 * of the process waited meanwhile, and prints the figures as JSON.
 * BENCH_BILLING_FAMILIES (default 2000) and BENCH_BILLING_DAYS (default 20) change the size.
 */
import { startConsoleApp } from '../../../bench/console_app.js'

const families = Number(process.env.BENCH_BILLING_FAMILIES ?? 2000)
const daysPerFamily = Number(process.env.BENCH_BILLING_DAYS ?? 20)
const month = process.env.BENCH_BILLING_MONTH ?? '2031-03'

const app = await startConsoleApp()

const { default: db } = await import('@adonisjs/lucid/services/db')
const { default: invoiceService } = await import('#modules/billing/services/invoice_service')
const { planningSource } = await import('#modules/billing/services/planning_source')
const { timedWithWaits } = await import('../../../bench/request_wait.js')
const { seedBilledMonth } = await import('#modules/billing/bench/billed_month_seed')

const seedStarted = performance.now()
const { activityId, days } = await db.transaction((trx) => seedBilledMonth(trx, { families, daysPerFamily, month }))
const seedSeconds = (performance.now() - seedStarted) / 1000

const {
  result: summary,
  seconds,
  longestWaitMs,
} = await timedWithWaits(db, () => invoiceService.generateMonth(month, planningSource, { force: true }))
const againStarted = performance.now()
const again = await invoiceService.generateMonth(month, planningSource, { force: true })
const againSeconds = (performance.now() - againStarted) / 1000

console.log(
  JSON.stringify({
    activityId,
    families,
    days: days.length,
    created: summary.created,
    problems: summary.problems.length,
    totalCents: summary.totalCents,
    seconds,
    familiesPerSecond: summary.created / seconds,
    rerunSeconds: againSeconds,
    rerunCreated: again.created,
    longestWaitMs,
    seedSeconds,
    client: db.connection().dialect.name,
  })
)
await app.terminate()
