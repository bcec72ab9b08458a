/*
 * The back-to-school rush on SQLite: N parents log in, open the month planning and book the
 * same 10 days at once (places run out: refusals are expected, overbooking is not).
 * Reports journeys/s and the month page's latency p50/p99 during the rush, journeys/s against
 * password hashes/s alone (the runner's argon2id baseline, the login's floor), the app server's
 * peak resident memory during the rush, the month page's req/s against a bare route through the
 * same middleware (logged-in cookie) and against its ceiling (the same page's bytes, rendered
 * once, sent through that middleware and the sign-in check: bench/app/routes.ts), then checks
 * that every day's counter equals its booking rows and stays within its places (a failed
 * journey or an overbooked day fails the bench).
 * BENCH_PLANNING_PARENTS (default 300), BENCH_PLANNING_PLACES (default 20) and BENCH_PLANNING_WARMUP
 * (default 1,200 journeys) change the size.
 * Before the rush, a warm-up: 1,200 other parents make the same journey on 10 days a month later.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import type { BenchContext, BenchFigures, BenchScenario } from '../../../bench/types.js'
import { Browser, csrfOf } from '../../../bench/http_client.js'
import { warmUpBy, warmUpCount } from '../../../bench/warm_up.js'
import { PAGE_COPY_FILE, ROOT } from '../../../bench/servers.js'

function percentile(sorted: number[], p: number) {
  if (!sorted.length) return 0
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** The login page's message when too many logins wait (accounts' session controller). */
const COME_BACK = /Réessayez dans (\d+) secondes/
/** Logins the portal turned away with a time to come back, and the parents they were, since the counts were last reset. */
let turnedAway = 0
let parentsTurnedAway = 0

/**
 * A parent signs in and opens the month planning: the page, and how long it took. Told to come
 * back later, the parent does, after the seconds the page gives (5 times at most).
 */
async function signInAndOpenMonth(browser: Browser, appUrl: string, login: { username: string }, password: string, month: string) {
  let form = await browser.send(`${appUrl}/connexion`)
  let loginMs = 0
  for (let tries = 0; ; tries++) {
    const sent = performance.now()
    const loggedIn = await browser.send(`${appUrl}/connexion`, {
      method: 'POST',
      form: new URLSearchParams({ _csrf: csrfOf(form.text), username: login.username, password }),
    })
    loginMs = performance.now() - sent
    if (loggedIn.status !== 302) throw new Error(`connexion refusée pour ${login.username} : HTTP ${loggedIn.status}`)
    if (!loggedIn.location.includes('connexion')) break
    form = await browser.send(`${appUrl}/connexion`)
    const comeBack = COME_BACK.exec(form.text)
    if (!comeBack || tries >= 5) throw new Error(`connexion refusée pour ${login.username}`)
    turnedAway++
    if (tries === 0) parentsTurnedAway++
    await new Promise((resolve) => setTimeout(resolve, Number(comeBack[1]) * 1000))
  }
  const started = performance.now()
  const page = await browser.send(`${appUrl}/planning?vue=mois&date=${month}`)
  const pageMs = performance.now() - started
  if (page.status !== 200) throw new Error(`planning : HTTP ${page.status}`)
  return { page, pageMs, loginMs }
}

async function journey(appUrl: string, login: { username: string; childId: number }, password: string, month: string, dayIds: number[]) {
  const browser = new Browser()
  try {
    const { page, pageMs, loginMs } = await signInAndOpenMonth(browser, appUrl, login, password, month)
    const body = new URLSearchParams({ _csrf: csrfOf(page.text), vue: 'mois', date: month, action: 'apply' })
    for (const dayId of dayIds) {
      body.append('shown[]', `${login.childId}-${dayId}`)
      body.append('selected[]', `${login.childId}-${dayId}`)
    }
    const applied = await browser.send(`${appUrl}/planning`, { method: 'POST', form: body })
    if (applied.status !== 302) throw new Error(`validation du panier : HTTP ${applied.status}`)
    return { pageMs, loginMs, cookie: browser.jar.header }
  } finally {
    browser.close()
  }
}

const scenario: BenchScenario = {
  name: 'ruée sur le planning',
  hashBound: true,
  async run(ctx: BenchContext): Promise<BenchFigures[]> {
    const parents = Number(process.env.BENCH_PLANNING_PARENTS ?? 300)
    const places = Number(process.env.BENCH_PLANNING_PLACES ?? 20)
    // Parents who only warm the server up (bench/warm_up.ts), then the rush's own.
    const warming = warmUpCount(ctx, 'BENCH_PLANNING_WARMUP', 1200)
    const file = join(ROOT, 'tmp', `bench-planning-${Date.now()}.json`)
    ctx.log(`planning : préparation de ${parents} parents (10 jours de ${places} places) et ${warming} pour l'échauffement…`)
    await ctx.ace(['planning:bench-rush', `--parents=${parents + warming}`, `--places=${places}`, `--file=${file}`])
    const seeded = JSON.parse(readFileSync(file, 'utf8')) as {
      password: string
      month: string
      dayIds: number[]
      warmUpMonth: string
      warmUpDayIds: number[]
      logins: { username: string; childId: number }[]
    }
    const data = { ...seeded, logins: seeded.logins.slice(warming) }
    if (warming) {
      // The same journey on the warm-up's days a month later: the rush's days keep all their places.
      const warmLogins = seeded.logins.slice(0, warming)
      const cpu = await warmUpBy(ctx, warming, 10, (index) => journey(ctx.appUrl, warmLogins[index], data.password, data.warmUpMonth, data.warmUpDayIds))
      ctx.log(`planning : échauffement, ${warming} parcours sur les 10 jours du mois suivant ; ${cpu}`)
    }

    const restingMb = ctx.watchServerMemory().stop()
    const memory = ctx.watchServerMemory()
    const cpu = ctx.watchServerCpu()
    turnedAway = 0
    parentsTurnedAway = 0
    const started = performance.now()
    const settled = await Promise.allSettled(data.logins.map((login) => journey(ctx.appUrl, login, data.password, data.month, data.dayIds)))
    const wallMs = performance.now() - started
    const peakMb = memory.stop()
    const used = cpu.stop()
    const done = settled.filter((result): result is PromiseFulfilledResult<{ pageMs: number; loginMs: number; cookie: string }> => result.status === 'fulfilled').map((r) => r.value)
    const failures = settled.filter((result) => result.status === 'rejected') as PromiseRejectedResult[]
    const reasons = new Map<string, number>()
    for (const { reason } of failures) {
      const text = `${reason?.message ?? reason}${reason?.code ? ` (${reason.code})` : ''}`
      reasons.set(text, (reasons.get(text) ?? 0) + 1)
    }
    for (const [text, count] of reasons) ctx.log(`planning : ${count} parcours en échec : ${text}`)
    const comeBackNote = turnedAway
      ? ` ; ${turnedAway} connexions de ${parentsTurnedAway} parents renvoyées à plus tard (trop d'attente), refaites après le délai annoncé`
      : ''
    const pages = done.map((result) => result.pageMs).sort((a, b) => a - b)
    const logins = done.map((result) => result.loginMs).sort((a, b) => a - b)
    const journeysPerSecond = (done.length * 1000) / wallMs
    const hashes = ctx.hashesPerSecondAlone
    const perJourney = (ms: number) => (ms / Math.max(1, settled.length)).toFixed(1)
    const cpuNote =
      `CPU par parcours : serveur ${perJourney(used.mainMs + used.poolMs + used.otherMs)} ms (boucle d'événements ${perJourney(used.mainMs)}, ` +
      `fils libuv/hachages ${perJourney(used.poolMs)}, ramasse-miettes et compilation ${perJourney(used.otherMs)}), générateur de charge ${perJourney(used.clientMs)} ms ; ` +
      `un hachage seul : ${((availableParallelism() * 1000) / hashes).toFixed(1)} ms de CPU (${availableParallelism()} cœurs ÷ ${hashes.toFixed(1)} hachages/s)`
    ctx.log(`planning : ${cpuNote}`)
    ctx.report('rush_journeys_over_hashes', journeysPerSecond / hashes)
    if (pages.length) ctx.report('rush_month_page_p99_ms', percentile(pages, 99))
    ctx.report('rush_rss_mb', peakMb)

    // Exits non-zero on an overbooked day or a counter that differs from its rows: the scenario fails.
    await ctx.ace(['planning:bench-rush', '--check', `--file=${file}`])
    ctx.log('planning : aucun jour surréservé, compteurs = lignes de réservation.')
    if (failures.length) ctx.log(`planning : ⚠ ${failures.length} parcours en échec sur ${settled.length}`)

    const cookie = done[0]?.cookie ?? ''
    const monthPath = `/planning?vue=mois&date=${data.month}`
    // The month page's ceiling: its own bytes, rendered once, sent through the same middleware and sign-in check.
    const copy = await fetch(ctx.appUrl + monthPath, { headers: { cookie } })
    const pageBytes = Buffer.from(await copy.text())
    writeFileSync(PAGE_COPY_FILE, pageBytes)
    // The page a parent asks for again is sent as kept (planning_page_cache); asked with
    // Cache-Control: no-cache (a forced reload), it is rendered every time.
    const [month, rendered, ceiling, stack] = await ctx.measureTogether([
      { name: 'planning : page mensuelle (connecté)', path: monthPath, headers: { cookie } },
      { name: 'planning : la même page rendue à chaque fois (no-cache)', path: monthPath, headers: { cookie, 'cache-control': 'no-cache' } },
      { name: 'planning : la même page déjà rendue (plafond)', path: '/__bench/page-copy', headers: { cookie } },
      { name: 'planning : route nue + middleware (connecté)', path: '/__bench/stack', headers: { cookie } },
    ])
    rmSync(file, { force: true })
    rmSync(PAGE_COPY_FILE, { force: true })
    const monthOverStack = month.requestsPerSecond / stack.requestsPerSecond
    const ceilingOverStack = ceiling.requestsPerSecond / stack.requestsPerSecond
    const renderedOverStack = rendered.requestsPerSecond / stack.requestsPerSecond
    if (copy.ok && ![month, rendered, ceiling, stack].some((row) => row.non2xx || row.errors)) {
      ctx.report('month_page_over_middleware', monthOverStack)
      ctx.report('month_page_rendered_over_middleware', renderedOverStack)
      ctx.report('month_page_ceiling_over_middleware', ceilingOverStack)
    }

    return [
      {
        name: `planning : ruée, ${parents} parents × 10 jours (parcours/s)`,
        requestsPerSecond: journeysPerSecond,
        p99: Math.round(percentile(pages, 99)),
        average: percentile(pages, 50),
        requests: settled.length,
        non2xx: 0,
        errors: failures.length,
        note:
          `parcours = connexion + page mensuelle + validation de 10 jours ; page mensuelle p50 ${percentile(pages, 50).toFixed(0)} ms, p99 ${percentile(pages, 99).toFixed(0)} ms (colonne « moy. » = p50) ; ` +
          `attente d'une connexion acceptée p50 ${(percentile(logins, 50) / 1000).toFixed(1)} s, max ${(percentile(logins, 100) / 1000).toFixed(1)} s ; ` +
          `${hashes.toFixed(1)} hachages argon2id/s seuls (mesurés juste avant ce scénario) → parcours/s ÷ hachages/s = ${(journeysPerSecond / hashes).toFixed(2)} ; ` +
          `${cpuNote} ; mémoire résidente max du serveur ${peakMb.toFixed(0)} Mo (${restingMb.toFixed(0)} Mo au repos avant la ruée) ; durée ${(wallMs / 1000).toFixed(1)} s${comeBackNote}`,
      },
      {
        ...month,
        note:
          `page mensuelle ÷ route nue avec le même middleware = ${monthOverStack.toFixed(2)} ; ` +
          `${((100 * monthOverStack) / ceilingOverStack).toFixed(0)} % de son plafond`,
      },
      { ...rendered, note: `page rendue à chaque fois ÷ route nue avec le même middleware = ${renderedOverStack.toFixed(2)}` },
      { ...ceiling, note: `les ${pageBytes.length} octets de la page ; plafond ÷ route nue avec le même middleware = ${ceilingOverStack.toFixed(2)}` },
      stack,
    ]
  },
}

export default scenario
