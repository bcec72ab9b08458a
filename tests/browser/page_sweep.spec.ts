import { test } from '@japa/runner'
import type { Page } from 'playwright'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#modules/accounts/models/user'
import { seedDemoCommune } from '#services/demo_seeder'
import { allRoutes, TEMPLATE_LEFTOVER, type SweptRoute } from '#tests/helpers/route_sweep'
import { axeViolations, browserAs } from '#tests/helpers/browser'
import { isOpenToReadOnly } from '#core/read_only_routes'

/** Pages that are files, feeds or actions rather than pages a person reads. */
const NOT_PAGES = /\.(xml|ics|css|json|zip|pdf|csv)$|\/logo$|\/session\/prolonger$|\/export|\/telecharger|\/pdf$|\/csv$/
/** FranceConnect's returns only redirect (their pages are checked in accounts' FranceConnect journey). */
const REDIRECTS_ONLY = /^\/connexion\/franceconnect\/(retour|deconnexion|inconnue)$/

function pageRoutes(filter: (route: SweptRoute) => boolean) {
  return allRoutes().filter((r) => r.method === 'GET' && r.params.length === 0 && !NOT_PAGES.test(r.pattern) && !REDIRECTS_ONLY.test(r.pattern) && filter(r))
}

/** Checks axe cannot do: the title names the page and the commune, one h1, no skipped heading level. */
async function structureProblems(page: Page, commune: string): Promise<string[]> {
  const problems: string[] = []
  const title = await page.title()
  if (!title.endsWith(` — ${commune}`) || title.length <= commune.length + 3) problems.push(`title « ${title} »`)
  const levels: number[] = await page.evaluate(() =>
    Array.from((globalThis as any).document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')).map((h: any) =>
      Number(h.tagName[1])
    )
  )
  if (levels.filter((l) => l === 1).length !== 1) problems.push(`${levels.filter((l) => l === 1).length} h1`)
  const text: string = await page.evaluate(() => (globalThis as any).document.body.innerText)
  const leftover = TEMPLATE_LEFTOVER.exec(text)
  if (leftover) problems.push(`template syntax printed as text: « ${text.slice(Math.max(0, leftover.index - 20), leftover.index + 40)} »`)
  levels.forEach((level, index) => {
    if (index > 0 && level > levels[index - 1] + 1) problems.push(`h${levels[index - 1]} followed by h${level}`)
  })
  return problems
}

test.group('Every page, in Chromium', (group) => {
  group.setup(async () => testUtils.db().withGlobalTransaction())
  // Pages shown only when the commune configured API Particulier (no call is made by a GET), and
  // FranceConnect configured: the login page is checked with its button (no page calls it).
  group.setup(() => {
    process.env.API_PARTICULIER_DEMO = '1'
    Object.assign(process.env, { FRANCECONNECT_CLIENT_ID: 'balayage', FRANCECONNECT_CLIENT_SECRET: 'balayage', FRANCECONNECT_ISSUER: 'http://127.0.0.1:9/api/v2' })
    return () => {
      delete process.env.API_PARTICULIER_DEMO
      for (const name of ['FRANCECONNECT_CLIENT_ID', 'FRANCECONNECT_CLIENT_SECRET', 'FRANCECONNECT_ISSUER']) delete process.env[name]
    }
  })

  test('no axe-core violation, a title with the commune, headings in order', async ({ visit, browser, assert }) => {
    const logins = await seedDemoCommune()
    const commune = 'Colomars'
    const parentLogin = logins.find((l) => l.role.toLowerCase().includes('parent') || l.role.toLowerCase().includes('famille'))
    const adminLogin = logins.find((l) => l.username === 'admin')
    const problems: string[] = []
    let checked = 0

    const sweep = async (routes: SweptRoute[], who: string, open: (url: string) => Promise<Page> = visit) => {
      for (const route of routes) {
        const page = await open(route.pattern)
        const status = await page.evaluate(() => (globalThis as any).document.title)
        if (/Une erreur est survenue|Page introuvable|Accès refusé/.test(status)) {
          problems.push(`${who} ${route.pattern}: « ${status} »`)
          continue
        }
        if (page.url().endsWith('/connexion') && route.pattern !== '/connexion') {
          problems.push(`${who} ${route.pattern}: sent to the login page`)
          continue
        }
        const violations = await axeViolations(page)
        for (const v of violations) problems.push(`${who} ${route.pattern}: axe ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
        for (const p of await structureProblems(page, commune)) problems.push(`${who} ${route.pattern}: ${p}`)
        checked++
        await page.close()
      }
    }

    await sweep(pageRoutes((r) => !r.middleware.includes('auth')), 'visitor')
    // Each user in a browser of their own (tests/helpers/browser.ts: browserAs).
    if (parentLogin) {
      const parent = await browserAs(browser, await User.findByOrFail('username', parentLogin.username))
      await sweep(pageRoutes((r) => r.middleware.includes('auth') && !r.pattern.startsWith('/gestion')), 'parent', (url) => parent.visit(url))
      await parent.close()
    }
    // A read-only access (a person authorized to pick the children up): the pages open to it.
    const readerLogin = logins.find((l) => l.role === 'pickup')
    if (readerLogin) {
      const reader = await browserAs(browser, await User.findByOrFail('username', readerLogin.username))
      await sweep(pageRoutes((r) => isOpenToReadOnly(r.pattern, 'GET')), 'read-only', (url) => reader.visit(url))
      await reader.close()
    }
    if (adminLogin) {
      const admin = await browserAs(browser, await User.findByOrFail('username', adminLogin.username))
      await sweep(pageRoutes((r) => r.pattern === '/gestion' || r.pattern.startsWith('/gestion/')), 'admin', (url) => admin.visit(url))
      await admin.close()
    }
    console.log(`  page sweep: ${checked} pages checked by axe-core`)
    assert.deepEqual(problems, [])
  }).timeout(900_000)
})
