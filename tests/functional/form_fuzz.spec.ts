import { test } from '@japa/runner'
import fc from 'fast-check'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { dbTime } from '#core/db_time'
import { seedDemoCommune } from '#services/demo_seeder'
import shieldConfig from '#config/shield'
import { allRoutes, fillPattern, snapshotData, tableNames, type SweptRoute } from '#tests/helpers/route_sweep'
import { createUser } from '#tests/helpers/users'

const RUNS_PER_FORM = Number(process.env.FUZZ_RUNS ?? 8)

/** Hostile and random values a form may receive. */
const hostileValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 5000, maxLength: 20000 }),
  fc.constantFrom(
    '', ' ', '\u0000', '\u0007\u001b[31m', '\r\n\r\n', "' OR 1=1 --", '"; DROP TABLE users; --',
    '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '{{ 7*7 }}', '${7*7}', '../../etc/passwd',
    '-1', '0', '1e309', '99999999999999999999999', 'NaN', 'null', 'true', '2026-02-30', '31/02/2026', '0000-00-00',
    '9999-12-31', '=CMD()', '@SUM(A1)', '\uFEFF', '😀', 'é'.repeat(300)
  ),
  fc.integer(),
  fc.double(),
  fc.boolean()
)

/** Field names read from the page that shows the form, plus a few hostile keys. */
function formFieldNames(html: string, action: string): string[] {
  const names = new Set<string>()
  const forms = [...html.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)]
  for (const [, formAction, body] of forms) {
    if (formAction.split('?')[0] !== action) continue
    for (const [, name] of body.matchAll(/<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"/g)) {
      if (name !== '_csrf' && !name.endsWith('[]')) names.add(name)
    }
  }
  return [...names]
}

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'id', 'family_id', 'role']

function isFormRoute(route: SweptRoute, exempt: string[]) {
  return route.method === 'POST' && !exempt.includes(route.pattern) && !route.pattern.startsWith('/deconnexion')
}

test.group('Fuzzing every form', (group) => {
  group.setup(async () => testUtils.db().withGlobalTransaction())

  test('hostile and random input never gets a 500, and a refused form stores nothing', async ({ client, assert }) => {
    await seedDemoCommune()
    const admin = await createUser('admin')
    const parent = await createUser('parent')
    if ((await tableNames()).includes('families')) {
      const [family] = await db
        .table('families')
        .insert({ reference: 'FUZZ-1', address: '1 rue du Test', postal_code: '06000', city: 'Nice', created_at: dbTime(), updated_at: dbTime() })
        .returning('id')
      await db.table('guardians').insert({
        family_id: typeof family === 'object' ? family.id : family,
        position: 1,
        civility: 'M.',
        last_name: 'Fuzz',
        first_name: 'Felix',
        user_id: parent.id,
        created_at: dbTime(),
        updated_at: dbTime(),
      })
    }
    const exempt: string[] = (shieldConfig as any).csrf.exceptRoutes ?? []
    const routes = allRoutes().filter((route) => isFormRoute(route, exempt))
    const getPatterns = new Set(allRoutes().filter((r) => r.method === 'GET').map((r) => r.pattern))
    const problems: string[] = []
    let cases = 0

    for (const route of routes) {
      const user = route.pattern.startsWith('/gestion') ? admin : route.middleware.includes('auth') ? parent : null
      const url = fillPattern(route.pattern, 1)
      let names: string[] = []
      if (getPatterns.has(route.pattern)) {
        const page = client.get(url)
        const html = (await (user ? page.loginAs(user) : page)).text()
        names = formFieldNames(html, url)
      }
      const fieldsArbitrary = fc.record(
        Object.fromEntries([...names, ...HOSTILE_KEYS].map((name) => [name, fc.option(hostileValue, { nil: undefined })])),
        { requiredKeys: [] }
      )
      const samples = fc.sample(fieldsArbitrary, { numRuns: RUNS_PER_FORM, seed: 20261126 })
      for (const sample of samples) {
        const fields = Object.fromEntries(Object.entries(sample).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]))
        const before = await snapshotData()
        let request = client.post(url).form(fields).withCsrfToken().redirects(0)
        if (user) request = request.loginAs(user)
        const response = await request
        cases++
        if (response.status() >= 500) {
          problems.push(`${route.method} ${url} → HTTP ${response.status()} with ${JSON.stringify(fields).slice(0, 200)}`)
          continue
        }
        const flash = response.status() === 302 ? (response.flashMessages() as Record<string, unknown>) : {}
        const refused = response.status() === 422 || Boolean(flash.inputErrorsBag || flash.errorsBag || flash.formError)
        if (refused) {
          const after = await snapshotData()
          const changed = Object.keys(after).filter((table) => JSON.stringify(after[table]) !== JSON.stringify(before[table]))
          if (changed.length) problems.push(`${route.method} ${url} refused the form but changed ${changed.join(', ')}`)
        }
      }
    }
    console.log(`  form fuzz: ${routes.length} forms, ${cases} hostile submissions`)
    assert.deepEqual(problems, [])
  }).timeout(900_000)
})
