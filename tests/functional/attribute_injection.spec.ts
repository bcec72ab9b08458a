import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import User from '#modules/accounts/models/user'
import { seedDemoCommune } from '#services/demo_seeder'
import { allRoutes, type SweptRoute } from '#tests/helpers/route_sweep'
import { PAYLOAD, injectedMarkup, payloadContexts, startTags } from '#tests/helpers/markup_injection'
import {
  ALL_QUERY_NAMES,
  QUERY_READS,
  fillParams,
  queryNamesOnPage,
  realParams,
  storePayloadEverywhere,
  typedPostForms,
  withQuery,
} from '#tests/helpers/attribute_sweep'

const isStaffRoute = (route: SweptRoute) => route.pattern === '/gestion' || route.pattern.startsWith('/gestion/')

/** Pages that must print the payload back inside an attribute, escaped: proof that the sweep reaches them. */
const MUST_ECHO = [
  'parent /dossier/coordonnees',
  'admin /gestion/familles/:id/modifier',
  'visitor /simulateur-tarifaire?qf',
  'parent /messagerie/nouveau?objet',
  'admin /gestion/familles?q',
]

/** The demo commune, its parent (and family) and its administrator. */
async function demoUsers() {
  const logins = await seedDemoCommune()
  const parent = await User.findByOrFail('username', logins.find((l) => /parent|famille/i.test(l.role))!.username)
  const admin = await User.findByOrFail('username', 'admin')
  const { family_id: familyId } = await db.from('guardians').where('user_id', parent.id).firstOrFail()
  return { parent, admin, familyId: familyId as number }
}

const gets = () => allRoutes().filter((route) => route.method === 'GET')

test.group('Attribute injection: every page with hostile values', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('no page lets a stored or a query value out of its attribute, for parent, staff and visitor', async ({ client, assert }) => {
    const { parent, admin, familyId } = await demoUsers()

    // What a parent types reaches staff's forms, and the reverse: through the real forms first.
    const contact = await client
      .post('/dossier/coordonnees')
      .form({ address: PAYLOAD, postalCode: '06670', city: 'Colomars' })
      .withCsrfToken()
      .loginAs(parent)
      .redirects(0)
    assert.notProperty(contact.flashMessages() ?? {}, 'inputErrorsBag')
    assert.equal((await db.from('families').where('id', familyId).firstOrFail()).address, PAYLOAD)
    const topic = await db.from('service_topics').first()
    const message = await client
      .post('/messagerie')
      .form({ service_id: String(topic.service_id), topic_id: String(topic.id), subject: PAYLOAD, body: PAYLOAD })
      .withCsrfToken()
      .loginAs(parent)
      .redirects(0)
    assert.notProperty(message.flashMessages() ?? {}, 'inputErrorsBag')
    assert.isNotNull(await db.from('messaging_conversations').where('subject', PAYLOAD).first())
    // Then every other free text of the demo commune.
    await storePayloadEverywhere()

    const problems: string[] = []
    const echoed = new Set<string>()
    let pages = 0

    const check = async (who: string, user: User | null, url: string, label: string) => {
      const request = client.get(url).redirects(0)
      const response = await (user ? request.loginAs(user) : request)
      if (response.status() >= 500) problems.push(`${who} ${label} (${url.slice(0, 80)}): HTTP ${response.status()}`)
      if (response.status() !== 200 || !String(response.header('content-type')).includes('text/html')) return null
      pages++
      const html = response.text()
      for (const problem of injectedMarkup(html)) problems.push(`${who} ${label}: ${problem} — ${payloadContexts(html, 1).join('')}`)
      if (startTags(html).some((tag) => tag.attributes.some(([, value]) => value.includes(PAYLOAD)))) echoed.add(`${who} ${label}`)
      return html
    }

    const sweep = async (who: string, user: User | null, routes: SweptRoute[]) => {
      for (const route of routes) {
        for (const params of await realParams(route.pattern, familyId)) {
          const url = fillParams(route.pattern, params)
          // A page may need its query to answer (the PayFiP return): the known names are tried anyway.
          const html = await check(who, user, url, route.pattern)
          if (html === null && !QUERY_READS[route.pattern]) continue
          await check(who, user, withQuery(url, ALL_QUERY_NAMES), `${route.pattern}?*`)
          const names = new Set([...(QUERY_READS[route.pattern] ?? []), ...(html ? queryNamesOnPage(html, url) : [])])
          for (const name of names) await check(who, user, withQuery(url, [name]), `${route.pattern}?${name}`)
        }
      }
    }

    await sweep('visitor', null, gets().filter((r) => !r.middleware.includes('auth')))
    await sweep('parent', parent, gets().filter((r) => r.middleware.includes('auth') && !isStaffRoute(r)))
    await sweep('admin', admin, gets().filter((r) => isStaffRoute(r)))

    console.log(`  attribute injection: ${pages} pages read, the payload printed in an attribute on ${echoed.size}`)
    assert.deepEqual([...new Set(problems)], [])
    assert.deepEqual(MUST_ECHO.filter((page) => !echoed.has(page)), [], 'pages where the payload should come back in an attribute')
  }).timeout(900_000)

  test('every form refused with the payload in each field shows it back escaped', async ({ client, assert }) => {
    const { parent, admin, familyId } = await demoUsers()
    const problems: string[] = []
    let forms = 0
    let echoed = 0

    const read = async (user: User, url: string, flash: any, label: string) => {
      let request = client.get(url).redirects(0).loginAs(user)
      if (flash) request = request.withFlashMessages(flash)
      const response = await request
      if (response.status() >= 500) problems.push(`${label}: HTTP ${response.status()}`)
      if (response.status() !== 200 || !String(response.header('content-type')).includes('text/html')) return null
      return response.text()
    }

    const sweep = async (who: string, user: User, routes: SweptRoute[]) => {
      for (const route of routes) {
        const url = fillParams(route.pattern, (await realParams(route.pattern, familyId, 1))[0])
        // the pages themselves are the other test's business: here, what a refused form prints
        const html = await read(user, url, null, `${who} ${route.pattern}`)
        for (const form of html ? typedPostForms(html) : []) {
          const label = `${who} ${route.pattern} → POST ${form.action}`
          const fields = Object.fromEntries(form.fields.map((name) => [name, PAYLOAD]))
          const response = await client.post(form.action).form(fields).header('referer', url).withCsrfToken().loginAs(user).redirects(0)
          forms++
          if (response.status() >= 500) problems.push(`${label}: HTTP ${response.status()}`)
          const shown =
            [200, 422].includes(response.status()) && String(response.header('content-type')).includes('text/html')
              ? response.text()
              : [302, 303].includes(response.status())
                ? await read(user, response.header('location') ?? '/', response.flashMessages() ?? {}, `${label} → ${response.header('location')}`)
                : null
          if (!shown) continue
          for (const problem of injectedMarkup(shown)) problems.push(`${label}: ${problem} — ${payloadContexts(shown, 1).join('')}`)
          if (startTags(shown).some((tag) => tag.attributes.some(([, value]) => value === PAYLOAD))) echoed++
        }
      }
    }

    await sweep('parent', parent, gets().filter((r) => r.middleware.includes('auth') && !isStaffRoute(r)))
    await sweep('admin', admin, gets().filter((r) => isStaffRoute(r)))

    console.log(`  attribute injection: ${forms} forms refused with the payload, shown back in a field by ${echoed}`)
    assert.deepEqual([...new Set(problems)], [])
    assert.isAbove(echoed, 20, 'refused forms should show the typed values back in their fields')
  }).timeout(900_000)
})
