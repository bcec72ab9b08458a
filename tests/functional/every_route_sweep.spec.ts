import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import User from '#modules/accounts/models/user'
import { seedDemoCommune } from '#services/demo_seeder'
import { allRoutes, readableText, TEMPLATE_LEFTOVER, type SweptRoute } from '#tests/helpers/route_sweep'
import { demoParams, fillValues } from '#tests/helpers/demo_route_params'

type Who = 'visitor' | 'parent' | 'agent' | 'admin'
type Audience = 'public' | 'guest' | 'private' | 'staff'

function audienceOf(route: SweptRoute): Audience {
  if (route.pattern === '/gestion' || route.pattern.startsWith('/gestion/')) return 'staff'
  if (route.middleware.includes('guest')) return 'guest'
  return route.middleware.includes('auth') ? 'private' : 'public'
}

/** The statuses each visitor may get; the first line of each is the page's own audience. */
const EXPECTED: Record<Audience, Record<Who, number[]>> = {
  public: { visitor: [200], parent: [200], agent: [200], admin: [200] },
  guest: { visitor: [200], parent: [302], agent: [302], admin: [302] },
  private: { visitor: [302], parent: [200], agent: [200, 302, 403, 404], admin: [200, 302, 403, 404] },
  staff: { visitor: [302], parent: [403], agent: [200, 403], admin: [200] },
}

/** Routes that answer otherwise even to their own audience, and why. */
const OTHER_ANSWERS: Record<string, { statuses: number[]; why: string }> = {
  'GET /': { statuses: [302], why: 'a signed-in person is sent to their own home page' },
  'GET /logo': { statuses: [404], why: 'the demo commune has no logo' },
  'GET /session/prolonger': { statuses: [204], why: 'answers the idle-session warning with no content' },
  'GET /facturation/paiement/retour': { statuses: [302], why: 'without a PayFiP operation, back to the invoices' },
  'GET /planning/quitter': { statuses: [302], why: 'leaving an empty basket goes straight back to the planning' },
  'GET /dossier/quotient-familial': { statuses: [404], why: 'API Particulier is not configured in the tests: the feature is absent (its own suite configures it)' },
  'GET /dossier/quotient-familial/resultat/:id': { statuses: [404], why: 'API Particulier is not configured in the tests: the feature is absent (its own suite configures it)' },
  'GET /connexion/franceconnect/retour': { statuses: [302], why: 'without a FranceConnect request under way, back to the login page' },
  'GET /connexion/franceconnect/deconnexion': { statuses: [302], why: 'back from FranceConnect’s sign-out, to the home page' },
  'GET /connexion/franceconnect/inconnue': { statuses: [302], why: 'without an identity just refused, back to the login page' },
  'GET /mon-compte/franceconnect/delier': { statuses: [302], why: 'nothing to unlink: back to Mon compte' },
  'GET /recuperations': { statuses: [302], why: 'the page of a read-only access (an authorized person): a guardian is sent to their own home' },
}

const isHtml = (type: string | undefined) => !type || type.includes('text/html')

test.group('Every GET route, with the demo commune', (group) => {
  group.setup(async () => testUtils.db().withGlobalTransaction())
  // FranceConnect configured (its pages swept too); no GET page calls it.
  group.setup(() => {
    Object.assign(process.env, { FRANCECONNECT_CLIENT_ID: 'balayage', FRANCECONNECT_CLIENT_SECRET: 'balayage', FRANCECONNECT_ISSUER: 'http://127.0.0.1:9/api/v2' })
    return () => {
      for (const name of ['FRANCECONNECT_CLIENT_ID', 'FRANCECONNECT_CLIENT_SECRET', 'FRANCECONNECT_ISSUER']) delete process.env[name]
    }
  })

  test('visitor, parent, agent and admin: no 500, no template syntax, the right status', async ({ client, assert }) => {
    await seedDemoCommune()
    const parent = await User.findByOrFail('username', 'parent')
    const guardian = await db.from('guardians').where('user_id', parent.id).firstOrFail()
    const users: Record<Who, User | null> = {
      visitor: null,
      parent,
      agent: await User.findByOrFail('username', 'agent'),
      admin: await User.findByOrFail('username', 'admin'),
    }
    const routes = allRoutes().filter((route) => route.method === 'GET')
    const problems: string[] = []
    let visits = 0

    for (const route of routes) {
      const values = route.params.length ? await demoParams(route.pattern, { parent, familyId: guardian.family_id }) : {}
      const url = fillValues(route.pattern, values)
      const key = `GET ${route.pattern}`
      for (const who of Object.keys(users) as Who[]) {
        const request = client.get(url).redirects(0)
        const response = await (users[who] ? request.loginAs(users[who]!) : request)
        visits++
        const status = response.status()
        const label = `${who} ${url}`
        const allowed = [...new Set([...EXPECTED[audienceOf(route)][who], ...(OTHER_ANSWERS[key]?.statuses ?? [])])]
        if (!allowed.includes(status)) {
          problems.push(`${label}: HTTP ${status}, expected ${allowed.join('/')}${status >= 500 ? '' : ` ${response.header('location') ?? ''}`}`)
          continue
        }
        if (status === 302 && who === 'visitor' && ['private', 'staff'].includes(audienceOf(route)) && response.header('location') !== '/connexion') {
          problems.push(`${label}: sent to ${response.header('location')} instead of the login page`)
        }
        if (status === 200 && isHtml(response.header('content-type'))) {
          const text = readableText(response.text())
          const leftover = TEMPLATE_LEFTOVER.exec(text)
          if (leftover) problems.push(`${label}: template syntax printed as text « ${text.slice(Math.max(0, leftover.index - 30), leftover.index + 40)} »`)
          if (/Une erreur est survenue|Page introuvable/.test(response.text())) problems.push(`${label}: an error page with status 200`)
        }
      }
    }
    const withParams = routes.filter((route) => route.params.length).length
    console.log(`  every-route sweep: ${routes.length} GET routes (${withParams} with parameters filled from the demo), ${visits} visits`)
    assert.deepEqual(problems, [])
    assert.isAbove(routes.length, 100)
  }).timeout(600_000)
})
