/*
 * Billing benchmark (run by `npm run bench`): a month's invoice run for 2,000 families with
 * 20 booked days each, read from planning's feed, on the bench's database. Reports families
 * per second (first run) and the time of the second run, which must issue nothing.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { BenchContext, BenchFigures, BenchScenario } from '../../../bench/types.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

function worker(env: NodeJS.ProcessEnv): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import=ts-node-maintained/register/esm', 'modules/billing/bench/generate_worker.ts'], { cwd: ROOT, env })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('exit', (code) => {
      const line = output.split('\n').reverse().find((text) => text.startsWith('{'))
      if (code !== 0 || !line) return reject(new Error(`le calcul des factures a échoué (code ${code}) :\n${output.slice(-3000)}`))
      resolve(JSON.parse(line))
    })
  })
}

const scenario: BenchScenario = {
  name: 'billing: factures du mois',
  async run(ctx: BenchContext): Promise<BenchFigures> {
    const families = Number(process.env.BENCH_BILLING_FAMILIES ?? 2000)
    ctx.log(`facturation : ${families} familles, 20 jours réservés chacune…`)
    const result = await worker({ ...ctx.env, BENCH_BILLING_FAMILIES: String(families), LOG_LEVEL: 'warn' })
    if (result.created !== families || result.problems) {
      throw new Error(`${result.created} factures émises pour ${families} familles (${result.problems} problèmes)`)
    }
    if (result.rerunCreated !== 0) throw new Error(`la seconde exécution a émis ${result.rerunCreated} factures`)
    ctx.log(
      `facturation : ${result.created} factures en ${result.seconds.toFixed(2)} s (${result.familiesPerSecond.toFixed(0)} familles/s), ` +
        `seconde exécution ${result.rerunSeconds.toFixed(2)} s, préparation ${result.seedSeconds.toFixed(1)} s`
    )
    return {
      name: 'billing: factures du mois (familles/s)',
      requestsPerSecond: result.familiesPerSecond,
      p99: Math.round(result.seconds * 1000),
      average: (result.seconds * 1000) / result.created,
      requests: result.created,
      non2xx: 0,
      errors: 0,
      note: `familles facturées par seconde (colonne req/s), ${result.days} jours réservés chacune, planning → factures, ${result.client} ; « p99 » = durée totale du calcul en ms, « moy. » = ms par famille ; relance sans effet en ${result.rerunSeconds.toFixed(2)} s ; attente max d’une autre requête ${result.longestWaitMs} ms`,
    }
  },
}

export default scenario
