import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import { User } from '#modules/accounts/index'
import { AuthorizedPerson } from '#modules/dossier/index'
import { seedDemoCommune } from '#services/demo_seeder'
import { isOpenToReadOnly } from '#core/read_only_routes'
import { createFamily, createPlanningActivity, bookDays, registeredFamily } from '#tests/helpers/factories'
import { allRoutes, snapshotData, type SweptRoute } from '#tests/helpers/route_sweep'
import { demoParams, fillValues } from '#tests/helpers/demo_route_params'
import { clearOutbox, linkIn, mailsTo, tokenOf, CookieAgent, GOOD_PASSWORD } from '#modules/accounts/tests/helpers'
import { CGU_VERSION } from '#modules/accounts/index'

const mutates = (route: SweptRoute) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method)
const isStaffRoute = (route: SweptRoute) => route.pattern === '/gestion' || route.pattern.startsWith('/gestion/')
const isPublic = (route: SweptRoute) => !route.middleware.includes('auth')

/** The next days of this ISO weekday (Monday = 1), from tomorrow. */
function nextWeekdays(weekday: number, count: number): string[] {
  const days: string[] = []
  let day = DateTime.now().setZone('Europe/Paris').plus({ days: 1 })
  while (days.length < count) {
    if (day.weekday === weekday) days.push(day.toISODate()!)
    day = day.plus({ days: 1 })
  }
  return days
}

async function grandmother(familyId: number, mayPickUp = true) {
  return AuthorizedPerson.create({ familyId, lastName: 'Martin', firstName: 'Josette', phone: '06 11 22 33 44', relationship: 'grand-mère', mayPickUp, emergencyContact: false })
}

function invite(client: any, user: User, personId: number, form: Record<string, unknown>) {
  return client.post(`/dossier/personnes-autorisees/${personId}/acces`).form(form).withCsrfToken().loginAs(user).redirects(0)
}

/** Activates the invitation mailed to `email` as the person would: CGU, a good password. */
async function activateFrom(client: any, email: string) {
  const token = tokenOf(linkIn((await mailsTo(email)).pop()!, '/activation'))
  return client.post(`/activation/${token}`).form({ cgu: 'on', password: GOOD_PASSWORD, password_confirmation: GOOD_PASSWORD }).withCsrfToken().redirects(0)
}

test.group('Read-only access of an authorized person', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))
  group.setup(() => clearOutbox())

  test('the guardian invites, the person activates and sees only the chosen children on the chosen weekdays', async ({ client, assert }) => {
    const activity = await createPlanningActivity({ name: 'Accueil du mercredi' })
    const { family, user: guardian, children } = await registeredFamily(activity, {
      children: [
        { firstName: 'Lya', birthDate: '2016-03-14' },
        { firstName: 'Noé', birthDate: '2015-01-20' },
      ],
    })
    const [lya, noe] = children
    const wednesdays = nextWeekdays(3, 2)
    const thursdays = nextWeekdays(4, 2)
    await bookDays(activity.id, family.id, lya.id, [...wednesdays, ...thursdays].map((date) => ({ date })))
    await bookDays(activity.id, family.id, noe.id, wednesdays.map((date) => ({ date })))
    // a week of shared custody: the other household booked it, it is not this family's to show
    const otherHousehold = await createFamily()
    const theirWednesday = nextWeekdays(3, 3)[2]
    await bookDays(activity.id, otherHousehold.family.id, lya.id, [{ date: theirWednesday }])
    const person = await grandmother(family.id)
    const email = `josette.${Date.now()}@exemple.fr`

    const sent = await invite(client, guardian, person.id, { email, childIds: [lya.id], weekdays: [3] })
    sent.assertStatus(302)
    const [mail] = await mailsTo(email)
    assert.include(mail, 'lecture seule')
    assert.include(mail, guardian.fullName)
    const page = await client.get(`/dossier/personnes-autorisees/${person.id}/acces`).loginAs(guardian)
    page.assertTextIncludes('invitée')
    page.assertTextIncludes(email)

    const activated = await activateFrom(client, email)
    activated.assertStatus(302)
    const reader = await User.findByOrFail('email', email)
    assert.equal(reader.role, 'pickup')
    assert.equal(reader.state, 'active')
    const home = await client.get('/accueil').loginAs(reader).redirects(0)
    home.assertHeader('location', '/recuperations')

    const days = await client.get('/recuperations').loginAs(reader)
    days.assertStatus(200)
    const text = days.text()
    assert.include(text, 'Lya')
    assert.include(text, 'Accueil du mercredi')
    for (const day of wednesdays) assert.include(text, `mercredi ${Number(day.slice(8))} `)
    assert.notInclude(text, 'jeudi', 'a weekday the guardian did not choose')
    assert.notInclude(text, `mercredi ${Number(theirWednesday.slice(8))} `, "a day the other household booked")
    assert.notInclude(text, 'Noé', 'a child the guardian did not choose')
    assert.notInclude(text, family.reference)
    assert.notInclude(text, 'DOSSIER')

    const state = await client.get('/dossier/coordonnees').loginAs(guardian)
    assert.match(state.text(), /<span class="badge badge--active">active<\/span>/)
    const staff = await User.create({ username: `agent-${Date.now()}`, email: `agent-${Date.now()}@exemple.fr`, fullName: 'Agent Test', role: 'admin', state: 'active', password: GOOD_PASSWORD, cguVersion: CGU_VERSION })
    const file = await client.get(`/gestion/familles/${family.id}`).loginAs(staff)
    file.assertStatus(200)
    file.assertTextIncludes('Accès en lecture')
    assert.match(file.text(), /data-label="Accès en lecture">\s*<span class="badge badge--active">active<\/span>/)
  })

  test('a revoked person is signed out at their next request, and can be invited again', async ({ client, assert }) => {
    const { family, user: guardian, child } = await createFamily()
    const person = await grandmother(family.id)
    const email = `revoque.${Date.now()}@exemple.fr`
    await invite(client, guardian, person.id, { email, childIds: [child.id] })
    await activateFrom(client, email)
    const reader = await User.findByOrFail('email', email)

    const browser = new CookieAgent()
    const signedIn = await browser.post('/connexion', { username: reader.username, password: GOOD_PASSWORD })
    assert.equal(signedIn.location, '/accueil')
    assert.equal((await browser.get('/recuperations')).status, 200)

    const revoked = await client.post(`/dossier/personnes-autorisees/${person.id}/acces/revoquer`).withCsrfToken().loginAs(guardian).redirects(0)
    revoked.assertStatus(302)
    assert.equal((await browser.get('/recuperations')).location, '/connexion')
    assert.equal((await browser.get('/mon-compte')).location, '/connexion')
    const again = await browser.post('/connexion', { username: reader.username, password: GOOD_PASSWORD }, '/connexion')
    assert.notEqual(again.location, '/accueil')
    ;(await client.get(`/dossier/personnes-autorisees/${person.id}/acces`).loginAs(guardian)).assertTextIncludes('révoquée')

    await invite(client, guardian, person.id, { email, childIds: [child.id] })
    assert.lengthOf(await mailsTo(email), 2)
    ;(await activateFrom(client, email)).assertStatus(302)
    assert.equal((await User.findOrFail(reader.id)).state, 'active')
  })

  test("another family's authorized person cannot be invited, nor their access revoked", async ({ client, assert }) => {
    const { user: intruder, child } = await createFamily()
    const other = await createFamily()
    const person = await grandmother(other.family.id)
    const email = `autre.${Date.now()}@exemple.fr`
    ;(await invite(client, intruder, person.id, { email, childIds: [child.id] })).assertStatus(404)
    ;(await client.post(`/dossier/personnes-autorisees/${person.id}/acces/revoquer`).withCsrfToken().loginAs(intruder).redirects(0)).assertStatus(404)
    ;(await client.get(`/dossier/personnes-autorisees/${person.id}/acces`).loginAs(intruder)).assertStatus(404)
    assert.lengthOf(await mailsTo(email), 0)
    assert.lengthOf(await db.from('pickup_accesses').where('authorized_person_id', person.id), 0)

    // Another family's child cannot be given to one's own authorized person either.
    const own = await grandmother((await db.from('guardians').where('user_id', intruder.id).firstOrFail()).family_id)
    ;(await invite(client, intruder, own.id, { email, childIds: [other.child.id] })).assertStatus(302)
    assert.lengthOf(await mailsTo(email), 0)
    assert.lengthOf(await db.from('pickup_accesses').where('authorized_person_id', own.id), 0)
  })

  test('a double submit of the invitation sends one mail', async ({ client, assert }) => {
    const { family, user: guardian, child } = await createFamily()
    const person = await grandmother(family.id)
    const email = `double.${Date.now()}@exemple.fr`
    const answers = await Promise.all([1, 2].map(() => invite(client, guardian, person.id, { email, childIds: [child.id] })))
    for (const answer of answers) answer.assertStatus(302)
    await invite(client, guardian, person.id, { email, childIds: [child.id] })
    assert.lengthOf(await mailsTo(email), 1)
    assert.lengthOf(await db.from('pickup_accesses').where('authorized_person_id', person.id), 1)
  })

  test('the invitation stays the guardian’s: it counts as sent, and the staff’s resend mails no generic activation', async ({ client, assert }) => {
    const { family, user: guardian, child } = await createFamily()
    const person = await grandmother(family.id)
    const email = `relance.${Date.now()}@exemple.fr`
    await invite(client, guardian, person.id, { email, childIds: [child.id] })
    const pending = await User.findByOrFail('email', email)
    assert.equal(pending.state, 'pending')
    assert.isNotNull(pending.activationSentAt)
    const admin = await User.create({ username: `admin-${Date.now()}`, email: `admin-${Date.now()}@exemple.fr`, fullName: 'Admin Test', role: 'admin', state: 'active', password: GOOD_PASSWORD, cguVersion: CGU_VERSION })
    ;(await client.post(`/gestion/comptes/${pending.id}/activation`).withCsrfToken().loginAs(admin).redirects(0)).assertStatus(302)
    assert.lengthOf(await mailsTo(email), 1)
  })

  test('an address that already has an account gets a notice, and the answer is the same', async ({ client, assert }) => {
    const { family, user: guardian, child } = await createFamily()
    const taken = await createFamily()
    const person = await grandmother(family.id)
    const fresh = await grandmother(family.id)
    const answer = await invite(client, guardian, person.id, { email: taken.user.email, childIds: [child.id] })
    const control = await invite(client, guardian, fresh.id, { email: `libre.${Date.now()}@exemple.fr`, childIds: [child.id] })
    assert.equal(answer.status(), control.status())
    const [notice] = await mailsTo(taken.user.email!)
    assert.include(notice, 'déjà celle d')
    assert.notMatch(notice, /\/activation\//)
    assert.equal((await User.findOrFail(taken.user.id)).role, 'parent')
  })

  test('a person no longer allowed to pick up, or removed from the file, loses the access at once', async ({ client, assert }) => {
    const { family, user: guardian, child } = await createFamily()
    const person = await grandmother(family.id)
    const email = `retiree.${Date.now()}@exemple.fr`
    await invite(client, guardian, person.id, { email, childIds: [child.id] })
    await activateFrom(client, email)
    const form = { lastName: 'Martin', firstName: 'Josette', phone: '06 11 22 33 44', relationship: 'grand-mère', emergencyContact: 'on' }
    ;(await client.post(`/dossier/personnes-autorisees/${person.id}/modifier`).form(form).withCsrfToken().loginAs(guardian).redirects(0)).assertStatus(302)
    assert.equal((await User.findByOrFail('email', email)).state, 'disabled')
    ;(await invite(client, guardian, person.id, { email, childIds: [child.id] })).assertStatus(302)
    assert.lengthOf(await mailsTo(email), 1, 'no invitation for a person not allowed to pick up')
  })
})

test.group('Read-only access: the person can change nothing', (group) => {
  group.setup(() => testUtils.db().withGlobalTransaction())

  test('every state-changing route and every other page refuses the read-only person, and nothing is written', async ({ client, assert }) => {
    await seedDemoCommune()
    const reader = await User.findByOrFail('username', 'grand-mere')
    const parent = await User.findByOrFail('username', 'parent')
    const familyId = (await db.from('guardians').where('user_id', parent.id).firstOrFail()).family_id
    assert.equal((await client.get('/recuperations').loginAs(reader)).status(), 200)

    // Values first (some fillers write: tokens, a debit file), then the snapshot. Public routes get
    // placeholders: the person holds no one's mailed link.
    const requests: { route: SweptRoute; url: string }[] = []
    for (const route of allRoutes().filter((r) => !(r.method === 'GET' && isPublic(r)))) {
      if (isOpenToReadOnly(route.pattern, route.method)) continue
      const placeholders = Object.fromEntries(route.params.map((name) => [name, 1]))
      // Demo rows of the person's own family where the sweeps know them (the GET pages'), else small ids.
      const values = route.params.length && !isPublic(route) ? await demoParams(route.pattern, { parent, familyId }).catch(() => placeholders) : placeholders
      requests.push({ route, url: fillValues(route.pattern, values) })
    }
    const before = await snapshotData()
    const problems: string[] = []
    for (const { route, url } of requests) {
      const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'
      const response = await client[method](url).withCsrfToken().loginAs(reader).redirects(0)
      const status = response.status()
      const label = `${route.method} ${url}`
      if (isPublic(route)) {
        // Public forms (a mailed link, PayFiP's notification): never a success for this person.
        if (status < 300 || status >= 500) problems.push(`${label}: HTTP ${status}`)
      } else if (route.pattern === '/accueil') {
        if (response.header('location') !== '/recuperations') problems.push(`${label}: not sent to the pick-up days`)
      } else if (!(isStaffRoute(route) ? [403] : [403, 404]).includes(status)) {
        problems.push(`${label}: HTTP ${status}${mutates(route) ? ' (state-changing)' : ''}`)
      }
    }
    assert.deepEqual(problems, [])
    const after = await snapshotData()
    assert.deepEqual(after, before, 'a request of the read-only person changed data')
    assert.isAbove(requests.filter(({ route }) => mutates(route)).length, 100)
    console.log(`  read-only sweep: ${requests.length} requests as the read-only person, all refused`)
  }).timeout(600_000)
})
