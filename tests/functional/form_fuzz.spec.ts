import { test } from '@japa/runner'
import fc from 'fast-check'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { dbTime } from '#core/db_time'
import { seedDemoCommune } from '#services/demo_seeder'
import moduleRegistry from '#core/module_registry'
import { allRoutes, fillPattern, snapshotData, tableNames, type SweptRoute } from '#tests/helpers/route_sweep'
import { createUser } from '#tests/helpers/users'
import { demoParams, fillValues } from '#tests/helpers/demo_route_params'
import { formBody, postForms, type PageForm } from '#tests/helpers/html_forms'
import User from '#modules/accounts/models/user'

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

/** A form a person sends (server-to-server routes the modules exempt from CSRF are not). */
function isFormRoute(route: SweptRoute) {
  return route.method === 'POST' && !moduleRegistry.isCsrfExempt(route.pattern) && !route.pattern.startsWith('/deconnexion')
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
    const routes = allRoutes().filter((route) => isFormRoute(route))
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

const UNKNOWN_IDS = ['999999', '-1', 'abc']
const IMPOSSIBLE_DATES = ['2026-02-30', '0000-00-00', '2026-13-01']
const BAD_PAGES = ['', '0', '-1', 'abc', '1.5', '99999999999999999999']
const isIdField = (name: string, form: PageForm) =>
  /(^id$|_id$|Id$|_ids?\[\]$|Ids\[\]$)/.test(name) || (form.types[name] === 'select' && form.options[name].some((o) => /^\d+$/.test(o)))
const isDateField = (name: string, form: PageForm) =>
  form.types[name] === 'date' || (form.types[name] !== 'hidden' && /(date|Date|_on$|On$|^day$|^from$|^to$)/.test(name) && form.types[name] !== 'select')
const isNameField = (name: string, form: PageForm) => ['text', 'textarea'].includes(form.types[name]) && /(^|_)(name|title|label)$|^new_|^(service|topic)_\d+$/.test(name)

/** A plausible value for a field the page left empty, so that the field under test is the only wrong one. */
function plausible(name: string, type: string): string {
  if (type === 'date' || /(date|Date|_on$|On$)/.test(name)) return DateTime.now().plus({ days: 20 }).toISODate()!
  if (type === 'time' || /time$/.test(name)) return '12:00'
  if (type === 'email' || /email/.test(name)) return 'fuzz@exemple.fr'
  if (type === 'tel' || /phone/.test(name)) return '06 12 34 56 78'
  if (type === 'number' || /(count|capacity|position|rank|amount|places|days|hours|cents)$/i.test(name)) return '1'
  if (/postal/i.test(name)) return '06670'
  return 'Texte de vérification'
}

function withPlausibleValues(form: PageForm): PageForm {
  const fields = { ...form.fields }
  for (const [name, value] of Object.entries(fields)) {
    if (value === '' && ['text', 'textarea', 'date', 'time', 'email', 'tel', 'number'].includes(form.types[name])) fields[name] = plausible(name, form.types[name])
  }
  return { ...form, fields }
}

/** A message a French reader understands: none of Vine's English defaults. */
const isFrench = (message: string) =>
  message.trim().length > 0 && !/\b(the|field|must|should|is required|invalid)\b/i.test(message) && /[a-zà-ÿ]{2,}/i.test(message)

function messagesOf(flash: Record<string, any>): string[] {
  // errorsBag.E_VALIDATION_ERROR is Adonis's English summary, which no page shows
  const { E_VALIDATION_ERROR: summary, ...errors } = flash.errorsBag ?? {}
  const bags = [flash.inputErrorsBag ?? {}, errors] as Record<string, string[] | string>[]
  const found = bags.flatMap((bag) => Object.values(bag).flat())
  if (summary && !flash.inputErrorsBag) found.push(summary)
  for (const key of ['formError', 'alert.error']) {
    const value = key.split('.').reduce((v: any, k) => v?.[k], flash)
    if (typeof value === 'string') found.push(value)
  }
  return found
}

test.group('Fuzzing every form with ids, dates, paging and Unicode case', (group) => {
  group.each.setup(async () => testUtils.db().withGlobalTransaction())

  test('unknown ids, impossible dates and names differing only in non-ASCII case: a French refusal, never a 500', async ({ client, assert }) => {
    await seedDemoCommune()
    const parent = await User.findByOrFail('username', 'parent')
    const admin = await User.findByOrFail('username', 'admin')
    const guardian = await db.from('guardians').where('user_id', parent.id).firstOrFail()
    const demo = { parent, familyId: guardian.family_id }
    const forms = new Map<string, { form: PageForm; user: User }>()
    for (const route of allRoutes().filter((r) => r.method === 'GET' && r.middleware.includes('auth'))) {
      const user = route.pattern.startsWith('/gestion') ? admin : parent
      const url = fillValues(route.pattern, route.params.length ? await demoParams(route.pattern, demo) : {})
      const response = await client.get(url).loginAs(user)
      if (response.status() !== 200 || !(response.header('content-type') ?? '').includes('html')) continue
      for (const form of postForms(response.text())) {
        if (form.action === '/deconnexion') continue
        forms.set(`${form.action} ${Object.keys(form.fields).sort().join(',')}`, { form: withPlausibleValues(form), user })
      }
    }
    const problems: string[] = []
    let cases = 0
    const post = async (form: PageForm, user: User, field: string, value: string | string[], expectRefusal: boolean) => {
      const fields = { ...form.fields, [field]: field.endsWith('[]') ? [value].flat() : value }
      const response = await client.post(form.action).form(formBody(fields)).withCsrfToken().redirects(0).loginAs(user)
      cases++
      const label = `POST ${form.action} ${field}=${JSON.stringify(value)}`
      if (response.status() >= 500) return problems.push(`${label}: HTTP ${response.status()}`)
      const flash = response.status() === 302 ? (response.flashMessages() as Record<string, any>) : {}
      const messages = messagesOf(flash)
      const refused = response.status() >= 400 || messages.length > 0
      const english = messages.filter((m) => !isFrench(m))
      if (english.length) problems.push(`${label}: not a French message: ${english.join(' | ')}`)
      if (expectRefusal && !refused) problems.push(`${label}: accepted`)
      return refused
    }

    for (const { form, user } of forms.values()) {
      for (const name of Object.keys(form.fields)) {
        if (isIdField(name, form)) for (const id of UNKNOWN_IDS) await post(form, user, name, id, true)
        if (isDateField(name, form)) for (const date of IMPOSSIBLE_DATES) await post(form, user, name, date, true)
        // a date and time is only read for some choices of the form (a scheduled article): never a 500
        if (form.types[name] === 'datetime-local') for (const date of IMPOSSIBLE_DATES) await post(form, user, name, `${date}T10:00`, false)
        if (isNameField(name, form)) {
          const suffix = String(cases)
          await post(form, user, name, `Été Ÿoga ${suffix}`, false)
          await post(form, user, name, `ÉTÉ ÿOGA ${suffix}`, false)
          await post(form, user, name, `Été Ÿoga ${suffix}`, false)
        }
      }
    }
    console.log(`  form fuzz (ids, dates, Unicode case): ${forms.size} forms, ${cases} submissions`)
    assert.deepEqual(problems, [])
    assert.isAbove(forms.size, 30)
  }).timeout(900_000)

  test('every route with an unknown id and every list with a bad page number: no 500', async ({ client, assert }) => {
    await seedDemoCommune()
    const parent = await User.findByOrFail('username', 'parent')
    const admin = await User.findByOrFail('username', 'admin')
    const guardian = await db.from('guardians').where('user_id', parent.id).firstOrFail()
    const demo = { parent, familyId: guardian.family_id }
    const problems: string[] = []
    let requests = 0
    for (const route of allRoutes().filter((r) => r.method === 'GET' || isFormRoute(r))) {
      const user = route.pattern.startsWith('/gestion') ? admin : route.middleware.includes('auth') ? parent : null
      const send = async (url: string) => {
        const base = route.method === 'GET' ? client.get(url) : client.post(url).withCsrfToken()
        requests++
        const response = await (user ? base.loginAs(user) : base).redirects(0)
        if (response.status() >= 500) problems.push(`${route.method} ${url}: HTTP ${response.status()}`)
        return response
      }
      if (route.params.length) for (const id of UNKNOWN_IDS) await send(fillPattern(route.pattern, id))
      if (route.method !== 'GET') continue
      const url = fillValues(route.pattern, route.params.length ? await demoParams(route.pattern, demo) : {})
      const first = await send(url)
      if (first.status() !== 200 || !(first.header('content-type') ?? '').includes('html')) continue
      for (const page of BAD_PAGES) {
        const response = await send(`${url}${url.includes('?') ? '&' : '?'}page=${page}`)
        if (response.status() !== 200) problems.push(`GET ${url}?page=${page}: HTTP ${response.status()} where page 1 is 200`)
      }
    }
    console.log(`  form fuzz (unknown ids, paging): ${requests} requests`)
    assert.deepEqual(problems, [])
  }).timeout(900_000)
})
