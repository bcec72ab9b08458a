/*
 * SEPA and PES benchmark (run by `npm run bench`): a commune's month under direct debit at
 * 20,000 families (BENCH_SEPA_FAMILIES), on the bench's database, in a worker process
 * (sepa_month_worker.ts): the debit batch and its pain.008 file, a second create (the same
 * batch), the collection on its day, a pain.002 return rejecting 1 %, the PES export.
 * Reports seconds and families per second for each; fails when a count is wrong.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { BenchContext, BenchFigures, BenchScenario } from '../../../bench/types.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** The commune's SEPA and PES identifiers when the bench's environment has none (demo values, as in .env.test). */
const DEMO_SETTINGS: Record<string, string> = {
  SEPA_CREDITOR_ID: 'FR72ZZZ123456',
  SEPA_CREDITOR_IBAN: 'FR7630001007941234567890185',
  SEPA_CREDITOR_BIC: 'BDFEFRPPCCT',
  PES_ID_POST: '006034',
  PES_LIBELLE_POSTE: 'SGC DE NICE (DEMO)',
  PES_ID_COLL: '21060004200019',
  PES_COD_COL: '123',
  PES_COD_BUD: '01',
  PES_LIBELLE_COL_BUD: 'COMMUNE DE COLOMARS - BUDGET PRINCIPAL',
  PES_NATURE: '7067',
  PES_FONCTION: '251',
}

function worker(env: NodeJS.ProcessEnv): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import=ts-node-maintained/register/esm', 'modules/billing/bench/sepa_month_worker.ts'], { cwd: ROOT, env })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('exit', (code) => {
      const line = output
        .split('\n')
        .reverse()
        .find((text) => text.startsWith('{'))
      if (!line) return reject(new Error(`le mois SEPA a échoué (code ${code}) :\n${output.slice(-3000)}`))
      const result = JSON.parse(line)
      if (code !== 0 || result.problems?.length) return reject(new Error(`le mois SEPA est faux (code ${code}) : ${(result.problems ?? []).join(' ; ')}`))
      resolve(result)
    })
  })
}

function row(name: string, families: number, seconds: number, note: string): BenchFigures {
  return {
    name: `billing: ${name} (familles/s)`,
    requestsPerSecond: families / seconds,
    p99: Math.round(seconds * 1000),
    average: (seconds * 1000) / families,
    requests: families,
    non2xx: 0,
    errors: 0,
    note: `familles par seconde (colonne req/s) ; « p99 » = durée totale en ms, « moy. » = ms par famille ; ${note}`,
  }
}

const scenario: BenchScenario = {
  name: 'billing: mois SEPA et PES',
  async run(ctx: BenchContext): Promise<BenchFigures[]> {
    const families = Number(process.env.BENCH_SEPA_FAMILIES ?? 20000)
    ctx.log(`SEPA/PES : ${families} familles, un mandat actif et une facture prélevée chacune…`)
    const settings = Object.fromEntries(Object.entries(DEMO_SETTINGS).map(([name, value]) => [name, process.env[name] || value]))
    const result = await worker({ ...ctx.env, ...settings, BENCH_SEPA_FAMILIES: String(families), LOG_LEVEL: 'warn' })
    const perSecond = (seconds: number, count = families) => `${seconds.toFixed(2)} s (${(count / seconds).toFixed(0)}/s)`
    // The longest a request of the same process waited (connection and event loop), as when the staff's page runs it.
    const waited = (name: string) => `attente max d’une autre requête ${result.longestWaitMs[name]} ms`
    ctx.log(
      `SEPA/PES (${result.client}) : lot ${perSecond(result.createSeconds)}, fichier ${(result.fileBytes / 1e6).toFixed(1)} Mo ; second lot ${result.againSeconds.toFixed(2)} s ; ` +
        `encaissement ${perSecond(result.collectSeconds)} ; retour de ${result.rejects} rejets ${perSecond(result.returnSeconds, result.rejects)} ; ` +
        `PES ${perSecond(result.pesSeconds)}, fichier ${(result.pesBytes / 1e6).toFixed(1)} Mo ; préparation ${result.seedSeconds.toFixed(1)} s`
    )
    return [
      row(
        'lot SEPA du mois',
        families,
        result.createSeconds,
        `pain.008 de ${(result.fileBytes / 1e6).toFixed(1)} Mo, ${result.client} ; second create (lot existant) en ${result.againSeconds.toFixed(2)} s ; ${waited('create')}`
      ),
      row(
        'encaissement des prélèvements',
        families,
        result.collectSeconds,
        `collectDue le jour du prélèvement, ${result.client} ; relance sans effet en ${result.recollectSeconds.toFixed(2)} s ; ${waited('collect')}`
      ),
      row(
        `retour pain.002 (${result.rejects} rejets)`,
        families,
        result.returnSeconds,
        `1 % de rejets, paiements annulés, ${result.client} ; même fichier réimporté en ${result.returnAgainSeconds.toFixed(2)} s ; ${waited('return')}`
      ),
      row('export PES du mois', families, result.pesSeconds, `${families} titres, fichier de ${(result.pesBytes / 1e6).toFixed(1)} Mo, ${result.client} ; ${waited('pes')}`),
    ]
  },
}

export default scenario
