import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { dbTime } from '#core/db_time'
import { seedDemoCommune } from '#services/demo_seeder'
import moduleRegistry from '#core/module_registry'
import { allRoutes, fillPattern, snapshotData, tableNames, type SweptRoute } from '#tests/helpers/route_sweep'
import { createUser } from '#tests/helpers/users'

/**
 * Routes that anyone may reach without an account. A new route is either behind the `auth`
 * middleware or listed here on purpose: otherwise this sweep fails and names it.
 */
const PUBLIC_ROUTES = new Set<string>([
  'GET /',
  'GET /accessibilite',
  'GET /mentions-legales',
  'GET /donnees-personnelles',
  'GET /plan-du-site',
  'GET /logo',
  // accounts: a link mailed to the new address confirms it, whoever opens it
  'GET /mon-compte/email/confirmer/:token',
  'POST /mon-compte/email/confirmer/:token',
  // accounts: FranceConnect sends the browser back (to sign in, or to link from Mon compte, the
  // signed-in user checked against the request), its sign-out comes back, and the mailed link
  // that links an identity to the account it matches is opened whoever opens it
  'GET /connexion/franceconnect/retour',
  'GET /connexion/franceconnect/deconnexion',
  'GET /connexion/franceconnect/relier/:token',
  'POST /connexion/franceconnect/relier/:token',
  // news: the public space
  'GET /actualites',
  'GET /actualites/flux.xml',
  'GET /actualites/:slug',
  'GET /actualites/:slug/image',
  'GET /infos-pratiques',
  'GET /infos-pratiques/documents',
  'GET /infos-pratiques/documents/:id/telecharger',
  'GET /pages/enfance',
  'GET /pages/jeunesse',
  'GET /pages/ecoles',
  'GET /pages/:slug',
  'GET /cgu',
  // planning: the stylesheet of the calendar, and the family's secret calendar feed
  'GET /planning/planning.css',
  'GET /planning/calendrier/:token',
  // billing: the public tariff simulator, and PayFiP's server-to-server notification
  'GET /simulateur-tarifaire',
  'POST /facturation/paiement/notification',
])

const isPublicByModule = (route: SweptRoute) => route.middleware.includes('guest') || route.middleware.includes('public')
const isStaffRoute = (route: SweptRoute) => route.pattern === '/gestion' || route.pattern.startsWith('/gestion/')
const mutates = (route: SweptRoute) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method)
const ID_CANDIDATES = [1, 2, 3, 4, 5]

function send(client: any, route: SweptRoute, url: string) {
  const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'
  return client[method](url).redirects(0)
}

test.group('Access sweep: every route', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('every route is either behind auth or declared public', ({ assert }) => {
    const loose = allRoutes().filter(
      (route) =>
        !route.middleware.includes('auth') &&
        !isPublicByModule(route) &&
        !PUBLIC_ROUTES.has(`${route.method} ${route.pattern}`)
    )
    assert.deepEqual(
      loose.map((route) => `${route.method} ${route.pattern}`),
      [],
      'routes without auth that tests/functional/access_sweep.spec.ts does not declare public'
    )
  })

  test('staff routes all carry the staff middleware', ({ assert }) => {
    const missing = allRoutes().filter((route) => isStaffRoute(route) && !route.middleware.includes('staff'))
    assert.deepEqual(missing.map((route) => `${route.method} ${route.pattern}`), [])
  })

  test('a visitor is sent to the login page from every private route', async ({ client, assert }) => {
    for (const route of allRoutes().filter((r) => r.middleware.includes('auth'))) {
      const response = await send(client, route, fillPattern(route.pattern, 1)).withCsrfToken()
      assert.oneOf(response.status(), [302, 303, 401, 403, 404], `${route.method} ${route.pattern}`)
      if ([302, 303].includes(response.status())) {
        assert.equal(response.header('location'), '/connexion', `${route.method} ${route.pattern}`)
      }
    }
  })

  test('every state-changing route refuses a request without a valid CSRF token', async ({ client, assert }) => {
    const parent = await createUser('parent')
    const admin = await createUser('admin')
    for (const route of allRoutes().filter((r) => mutates(r) && !moduleRegistry.isCsrfExempt(r.pattern))) {
      for (const user of [parent, admin]) {
        const response = await send(client, route, fillPattern(route.pattern, 1)).loginAs(user)
        assert.equal(response.status(), 419, `${route.method} ${route.pattern} as ${user.role}`)
      }
    }
  })

  test('a parent is refused every staff route', async ({ client, assert }) => {
    const parent = await createUser('parent')
    for (const route of allRoutes().filter(isStaffRoute)) {
      const response = await send(client, route, fillPattern(route.pattern, 1)).withCsrfToken().loginAs(parent)
      assert.equal(response.status(), 403, `${route.method} ${route.pattern}`)
    }
  })
})

test.group('Access sweep: another family', (group) => {
  group.setup(async () => testUtils.db().withGlobalTransaction())

  test('a parent of another family never reads nor changes the demo families', async ({ client, assert }) => {
    await seedDemoCommune()
    const hasDossier = (await tableNames()).includes('families')
    const intruder = await createUser('parent')
    let intruderFamilyId: number | undefined
    const markers: string[] = []
    if (hasDossier) {
      const [family] = await db
        .table('families')
        .insert({ reference: 'INTRUS-1', address: '1 rue Ailleurs', postal_code: '06000', city: 'Nice', created_at: dbTime(), updated_at: dbTime() })
        .returning('id')
      intruderFamilyId = typeof family === 'object' ? family.id : family
      await db.table('guardians').insert({
        family_id: intruderFamilyId,
        position: 1,
        civility: 'Mme',
        last_name: 'Intruse',
        first_name: 'Ines',
        user_id: intruder.id,
        created_at: dbTime(),
        updated_at: dbTime(),
      })
      const children = await db.from('children').whereNot('family_id', intruderFamilyId!).select('first_name')
      const families = await db.from('families').whereNot('id', intruderFamilyId!).select('reference')
      markers.push(...children.map((c) => c.first_name), ...families.map((f) => f.reference))
    }
    const before = await snapshotData(intruderFamilyId)
    let requests = 0
    const problems: string[] = []
    const privateRoutes = allRoutes().filter((r) => r.middleware.includes('auth') && !isStaffRoute(r) && r.params.length)
    for (const route of privateRoutes) {
      for (const id of ID_CANDIDATES) {
        const response = await send(client, route, fillPattern(route.pattern, id)).withCsrfToken().loginAs(intruder)
        requests++
        const label = `${route.method} ${fillPattern(route.pattern, id)}`
        if (response.status() >= 500) problems.push(`${label}: HTTP ${response.status()}`)
        if (response.status() === 200) {
          const leaked = markers.filter((marker) => response.text().includes(marker))
          if (leaked.length) problems.push(`${label} shows another family's ${leaked.join(', ')}`)
        }
      }
    }
    assert.deepEqual(problems, [])
    const after = await snapshotData(intruderFamilyId)
    assert.deepEqual(after, before, 'refused requests changed data of other families')
    console.log(`  access sweep: ${privateRoutes.length} private routes with ids, ${requests} requests as another family`)
  }).timeout(600_000)
})
