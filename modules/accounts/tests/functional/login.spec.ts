import { test } from '@japa/runner'
import hash from '@adonisjs/core/services/hash'
import limiter from '@adonisjs/limiter/services/main'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import { Argon } from '@adonisjs/core/hash/drivers/argon'
import User from '#modules/accounts/models/user'
import { LOGIN_REFUSED } from '#modules/accounts/controllers/session_controller'
import { GOOD_PASSWORD, makeUser } from '#modules/accounts/tests/helpers'
import { CGU_VERSION } from '#modules/accounts/services/cgu'

function login(client: any, username: string, password: string, extra: Record<string, string> = {}) {
  return client.post('/connexion').form({ username, password, ...extra }).withCsrfToken().redirects(0)
}

/** A parent logs in after asking for a page while logged out. */
async function loginAfterAsking(client: any, intendedUrl: string) {
  const user = await makeUser()
  return client.post('/connexion').form({ username: user.username, password: GOOD_PASSWORD }).withSession({ intended_url: intendedUrl }).withCsrfToken().redirects(0)
}

/** What a visitor can observe of a refused login: status, destination, messages. */
function observable(response: any) {
  const flash = { ...response.flashMessages() }
  return { status: response.status(), location: response.header('location'), flash }
}

test.group('Login', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))

  test('the login page has labelled fields with autocomplete and the forgotten-password link', async ({ client }) => {
    const response = await client.get('/connexion')
    response.assertStatus(200)
    response.assertTextIncludes('for="field-username"')
    response.assertTextIncludes('autocomplete="username"')
    response.assertTextIncludes('autocomplete="current-password"')
    response.assertTextIncludes('Se rappeler de moi')
    response.assertTextIncludes('href="/mot-de-passe-oublie"')
  })

  test('the public home shows the login box', async ({ client }) => {
    const response = await client.get('/')
    response.assertStatus(200)
    response.assertTextIncludes('CONNECTEZ-VOUS')
    response.assertTextIncludes('action="/connexion"')
  })

  test('a parent logs in with the user name or the email and goes to ACCUEIL', async ({ client, assert }) => {
    const user = await makeUser()
    const byName = await login(client, user.username.toUpperCase(), GOOD_PASSWORD)
    byName.assertStatus(302)
    byName.assertHeader('location', '/accueil')
    assert.exists(byName.cookie('portail-session'))
    const byEmail = await login(client, user.email!, GOOD_PASSWORD)
    byEmail.assertHeader('location', '/accueil')
    await user.refresh()
    assert.isNotNull(user.lastLoginAt)
    assert.isBelow(Math.abs(user.lastLoginAt!.diffNow().as('seconds')), 60, 'the login time is now, read back in UTC')
    assert.equal(user.updatedAt?.toMillis(), user.lastLoginAt!.toMillis())
  })

  test('a parent goes back to the page asked before login', async ({ client }) => {
    const response = await loginAfterAsking(client, '/planning?mois=2026-07')
    response.assertHeader('location', '/planning?mois=2026-07')
  })

  test('an intended URL to another site is ignored', async ({ client }) => {
    const response = await loginAfterAsking(client, '//evil.example/')
    response.assertHeader('location', '/accueil')
  })

  test('staff and administrators go to /gestion', async ({ client }) => {
    const agent = await makeUser({ role: 'staff' })
    const admin = await makeUser({ role: 'admin' })
    ;(await login(client, agent.username, GOOD_PASSWORD)).assertHeader('location', '/gestion')
    ;(await login(client, admin.username, GOOD_PASSWORD)).assertHeader('location', '/gestion')
  })

  test('a wrong password is refused with the generic message, the name kept', async ({ client, assert }) => {
    const user = await makeUser()
    const response = await login(client, user.username, 'Mauvais-Mot-2026')
    response.assertStatus(302)
    response.assertHeader('location', '/connexion')
    response.assertFlashMessage('formError', LOGIN_REFUSED)
    response.assertFlashMessage('username', user.username)
    assert.notProperty(response.flashMessages(), 'password')
    assert.notExists(response.cookie('remember_web')?.value)
  })

  test('known and unknown names get the same answer; pending and disabled accounts too', async ({ client, assert }) => {
    const known = await makeUser({ username: 'connu.parent' })
    const pending = await makeUser({ username: 'attente.parent', state: 'pending' })
    const disabled = await makeUser({ username: 'inactif.parent', state: 'disabled' })
    const answers = [
      await login(client, known.username, 'Mauvais-Mot-2026'),
      await login(client, 'inconnu.parent', 'Mauvais-Mot-2026'),
      await login(client, pending.username, GOOD_PASSWORD),
      await login(client, disabled.username, GOOD_PASSWORD),
    ].map(observable)
    for (const answer of answers) {
      const { username, ...rest } = answer.flash
      assert.deepEqual({ ...answer, flash: rest }, { status: 302, location: '/connexion', flash: { formError: LOGIN_REFUSED } })
      assert.isString(username)
    }
  })


  test('every failed login is in the audit (account, address, reason), never what was typed', async ({ client, assert }) => {
    const known = await makeUser({ username: 'audite.parent' })
    const pending = await makeUser({ username: 'audite.attente', state: 'pending' })
    await login(client, known.username, 'Mauvais-Mot-2026')
    await login(client, 'audite.inconnu', 'Autre-Mot-2026')
    await login(client, pending.username, GOOD_PASSWORD)
    const rows = await db.from('audit_logs').where('action', 'accounts.login.failed').orderBy('id')
    assert.deepEqual(
      rows.map((row) => ({ subject: row.subject_id, reason: JSON.parse(row.details).reason })),
      [
        { subject: String(known.id), reason: 'mot de passe incorrect' },
        { subject: null, reason: 'compte inconnu' },
        { subject: String(pending.id), reason: 'compte non actif (pending)' },
      ]
    )
    const stored = JSON.stringify(rows)
    for (const typed of ['Mauvais-Mot-2026', 'Autre-Mot-2026', GOOD_PASSWORD, 'audite.inconnu']) assert.notInclude(stored, typed)
    assert.isString(JSON.parse(rows[0].details).ip)
  })
  test('5 failures a minute for one name lock it with a delay announced in French, even for the right password', async ({ client, assert }) => {
    const user = await makeUser()
    for (let i = 0; i < 4; i++) {
      ;(await login(client, user.username, `Mauvais-${i}-2026xx`)).assertFlashMessage('formError', LOGIN_REFUSED)
    }
    const fifth = await login(client, user.username, 'Mauvais-5-2026xx')
    assert.match(fifth.flashMessages().formError, /Trop de tentatives.*patientez 5 minutes/)
    const right = await login(client, user.username, GOOD_PASSWORD)
    right.assertHeader('location', '/connexion')
    assert.match(right.flashMessages().formError, /Trop de tentatives.*patientez \d+ minutes?/)

    const page = await client.get('/connexion').withFlashMessages({ formError: right.flashMessages().formError })
    page.assertTextIncludes('Trop de tentatives')

    const other = await makeUser()
    ;(await login(client, other.username, GOOD_PASSWORD)).assertHeader('location', '/accueil')
  })

  test('the per-address budget stops a spray of names', async ({ client, assert }) => {
    for (let i = 0; i < 30; i++) await login(client, `essai${i}`, 'Mauvais-Mot-2026')
    const user = await makeUser()
    const response = await login(client, user.username, GOOD_PASSWORD)
    assert.match(response.flashMessages().formError, /Trop de tentatives.*15 minutes/)
  })

  test('"Se rappeler de moi" sets a remember-me cookie backed by a revocable token', async ({ client, assert }) => {
    const user = await makeUser()
    const response = await login(client, user.username, GOOD_PASSWORD, { remember: 'on' })
    response.assertHeader('location', '/accueil')
    const cookie = response.cookie('remember_web')
    assert.exists(cookie?.value)
    const rows = await db.from('remember_me_tokens').where('tokenable_id', user.id)
    assert.lengthOf(rows, 1)
    assert.match(rows[0].device_label, / sur /)

    const reopened = await client.get('/mon-compte').withEncryptedCookie('remember_web', cookie!.value).redirects(0)
    reopened.assertStatus(200)
    reopened.assertTextIncludes(user.username)

    await db.from('remember_me_tokens').where('tokenable_id', user.id).delete()
    const revoked = await client.get('/mon-compte').withEncryptedCookie('remember_web', cookie!.value).redirects(0)
    revoked.assertStatus(302)
    revoked.assertHeader('location', '/connexion')
  })

  test('a password hashed with older settings is rehashed at login', async ({ client, assert }) => {
    const weak = new Argon({ variant: 'id', iterations: 2, memory: 4096, parallelism: 1, saltSize: 16, hashLength: 32, version: 0x13 })
    const user = await makeUser()
    await db.from('users').where('id', user.id).update({ password: await weak.make(GOOD_PASSWORD) })
    await user.refresh()
    assert.isTrue(hash.needsReHash(user.password!))
    ;(await login(client, user.username, GOOD_PASSWORD)).assertHeader('location', '/accueil')
    const fresh = await User.findOrFail(user.id)
    assert.isFalse(hash.needsReHash(fresh.password!))
    assert.isTrue(await hash.verify(fresh.password!, GOOD_PASSWORD))
  })

  test('logout ends the session and deletes this device token', async ({ client, assert }) => {
    const user = await makeUser()
    const logged = await login(client, user.username, GOOD_PASSWORD, { remember: 'on' })
    const remember = logged.cookie('remember_web')!.value
    const out = await client
      .post('/deconnexion')
      .loginAs(user)
      .withEncryptedCookie('remember_web', remember)
      .withCsrfToken()
      .redirects(0)
    out.assertHeader('location', '/')
    out.assertSessionMissing('auth_web')
    assert.lengthOf(await db.from('remember_me_tokens').where('tokenable_id', user.id), 0)
  })

  test('logging in from the guest pages while logged in goes home', async ({ client }) => {
    const user = await makeUser()
    const response = await client.get('/connexion').loginAs(user).redirects(0)
    response.assertHeader('location', '/accueil')
  })

  test('a new version of the CGU is accepted at the next login, then the parent goes on', async ({ client, assert }) => {
    const user = await makeUser()
    user.cguVersion = '2020-01'
    await user.save()
    const response = await client
      .post('/connexion')
      .form({ username: user.username, password: GOOD_PASSWORD })
      .withSession({ intended_url: '/planning' })
      .withCsrfToken()
      .redirects(0)
    response.assertHeader('location', '/mon-compte/conditions')
    response.assertSession('after_cgu_url', '/planning')

    const page = await client.get('/mon-compte/conditions').loginAs(user)
    page.assertTextIncludes('version 2020-01')

    const refused = await client.post('/mon-compte/conditions').loginAs(user).withCsrfToken().redirects(0)
    refused.assertHasValidationError('cgu')
    assert.equal((await User.findOrFail(user.id)).cguVersion, '2020-01')

    const accepted = await client
      .post('/mon-compte/conditions')
      .form({ cgu: 'on' })
      .withSession({ after_cgu_url: '/planning' })
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    accepted.assertHeader('location', '/planning')
    const fresh = await User.findOrFail(user.id)
    assert.equal(fresh.cguVersion, CGU_VERSION)
    assert.isNotNull(fresh.cguAcceptedAt)
  })
})
