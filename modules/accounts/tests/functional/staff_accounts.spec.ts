import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import limiter from '@adonisjs/limiter/services/main'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#modules/accounts/models/user'
import { LOGIN_REFUSED } from '#modules/accounts/controllers/session_controller'
import { CookieAgent, GOOD_PASSWORD, clearOutbox, linkIn, mailsTo, makeUser } from '#modules/accounts/tests/helpers'

test.group('Staff area: accounts', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))
  group.setup(() => clearOutbox())

  test('a parent gets 403 on /gestion and /gestion/comptes', async ({ client }) => {
    const parent = await makeUser()
    ;(await client.get('/gestion').loginAs(parent)).assertStatus(403)
    ;(await client.get('/gestion/comptes').loginAs(parent)).assertStatus(403)
    ;(await client.get('/gestion/comptes/nouveau').loginAs(parent)).assertStatus(403)
    const target = await makeUser()
    ;(await client.post(`/gestion/comptes/${target.id}/desactiver`).loginAs(parent).withCsrfToken()).assertStatus(403)
    await target.refresh()
    if (target.state !== 'active') throw new Error('a parent disabled an account')
  })

  test('an agent lists and searches accounts with their state in words', async ({ client }) => {
    const agent = await makeUser({ role: 'staff' })
    const pending = await makeUser({ fullName: 'Zoé Recherchée', state: 'pending' })
    pending.activationSentAt = DateTime.utc()
    pending.activationExpiresAt = DateTime.utc().plus({ hours: 10 })
    await pending.save()
    await makeUser({ fullName: 'Autre Personne' })
    const response = await client.get('/gestion/comptes').qs({ q: 'recherch' }).loginAs(agent)
    response.assertStatus(200)
    response.assertTextIncludes('Zoé Recherchée')
    response.assertTextIncludes('En attente')
    response.assertTextIncludes('activation possible jusqu')
    response.assertTextIncludes('class="badge badge--pending"')
    response.assertTextIncludes('Comptes')
    const text = response.text()
    if (text.includes('Autre Personne')) throw new Error('search did not filter')
  })

  test('an agent finds an account however its name is typed, and after it is renamed', async ({ client, assert }) => {
    const agent = await makeUser({ role: 'staff' })
    const found = await makeUser({ fullName: 'Élodie Lefèvre-Œuvray' })
    await makeUser({ fullName: 'Autre Personne' })
    for (const q of ['elodie', 'ÉLODIE', 'lefevre', 'LEFÈVRE-ŒUVRAY', 'oeuvray']) {
      const response = await client.get('/gestion/comptes').qs({ q }).loginAs(agent)
      assert.include(response.text(), 'Lefèvre-Œuvray', q)
      assert.notInclude(response.text(), 'Autre Personne', q)
    }
    found.fullName = 'Élodie Marchand'
    await found.save()
    assert.notInclude((await client.get('/gestion/comptes').qs({ q: 'lefevre' }).loginAs(agent)).text(), 'Élodie')
    await db.from('users').where('id', found.id).update({ email: 'nouvelle.adresse@exemple.fr' })
    assert.include((await client.get('/gestion/comptes').qs({ q: 'nouvelle.adresse' }).loginAs(agent)).text(), 'Élodie Marchand')
  })

  test('the list is paginated', async ({ client }) => {
    const agent = await makeUser({ role: 'staff' })
    for (let i = 0; i < 21; i++) await makeUser({ fullName: `Pagination ${String(i).padStart(2, '0')}` })
    const first = await client.get('/gestion/comptes').qs({ q: 'pagination' }).loginAs(agent)
    first.assertTextIncludes('Page suivante')
    first.assertTextIncludes('Pagination 19')
    const second = await client.get('/gestion/comptes').qs({ q: 'pagination', page: 2 }).loginAs(agent)
    second.assertTextIncludes('Pagination 20')
  })

  test('an agent disables and re-enables a parent; a disabled parent cannot log in', async ({ client, assert }) => {
    const agent = await makeUser({ role: 'staff' })
    const parent = await makeUser()
    ;(await client.post(`/gestion/comptes/${parent.id}/desactiver`).loginAs(agent).withCsrfToken().redirects(0)).assertHeader(
      'location',
      '/gestion/comptes'
    )
    assert.equal((await User.findOrFail(parent.id)).state, 'disabled')
    const refused = await client.post('/connexion').form({ username: parent.username, password: GOOD_PASSWORD }).withCsrfToken().redirects(0)
    refused.assertFlashMessage('formError', LOGIN_REFUSED)

    await client.post(`/gestion/comptes/${parent.id}/reactiver`).loginAs(agent).withCsrfToken().redirects(0)
    assert.equal((await User.findOrFail(parent.id)).state, 'active')
  })

  test('an agent cannot disable another agent; an administrator can', async ({ client, assert }) => {
    const agent = await makeUser({ role: 'staff' })
    const colleague = await makeUser({ role: 'staff' })
    const admin = await makeUser({ role: 'admin' })
    ;(await client.post(`/gestion/comptes/${colleague.id}/desactiver`).loginAs(agent).withCsrfToken()).assertStatus(403)
    assert.equal((await User.findOrFail(colleague.id)).state, 'active')
    await client.post(`/gestion/comptes/${colleague.id}/desactiver`).loginAs(admin).withCsrfToken().redirects(0)
    assert.equal((await User.findOrFail(colleague.id)).state, 'disabled')
    ;(await client.post(`/gestion/comptes/${admin.id}/desactiver`).loginAs(admin).withCsrfToken()).assertStatus(403)
  })

  test('an agent resends an activation: a fresh 96-hour link', async ({ client, assert }) => {
    const agent = await makeUser({ role: 'staff' })
    const pending = await makeUser({ state: 'pending' })
    const response = await client.post(`/gestion/comptes/${pending.id}/activation`).loginAs(agent).withCsrfToken().redirects(0)
    response.assertHeader('location', '/gestion/comptes')
    const [mail] = await mailsTo(pending.email!)
    assert.exists(mail)
    linkIn(mail, '/activation')
    await pending.refresh()
    assert.isNotNull(pending.activationSentAt)
  })

  test('only an administrator creates staff accounts, linked to services, mailed an activation', async ({ client, assert }) => {
    const agent = await makeUser({ role: 'staff' })
    const admin = await makeUser({ role: 'admin' })
    const [serviceId] = await db.table('services').insert({ name: `Service Enfance ${Date.now()}`, position: 0 }).returning('id')
    const id = typeof serviceId === 'object' ? serviceId.id : serviceId

    ;(await client.get('/gestion/comptes/nouveau').loginAs(agent)).assertStatus(403)
    ;(await client.post('/gestion/comptes').form({ full_name: 'X', email: 'x@exemple.fr', role: 'staff' }).loginAs(agent).withCsrfToken()).assertStatus(403)

    const form = await client.get('/gestion/comptes/nouveau').loginAs(admin)
    form.assertStatus(200)
    form.assertTextIncludes('Service Enfance')

    const invalid = await client
      .post('/gestion/comptes')
      .form({ full_name: 'Agent Nouveau', email: 'pas-une-adresse', role: 'staff' })
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    invalid.assertHeader('location', '/gestion/comptes/nouveau')
    invalid.assertHasValidationError('email')
    invalid.assertFlashMessage('full_name', 'Agent Nouveau')

    const created = await client
      .post('/gestion/comptes')
      .form({ full_name: 'Agent Nouveau', email: 'agent.nouveau@mairie.fr', role: 'staff', 'service_ids[]': String(id) })
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    created.assertHeader('location', '/gestion/comptes')
    const user = await User.findByOrFail('email', 'agent.nouveau@mairie.fr')
    assert.equal(user.role, 'staff')
    assert.equal(user.state, 'pending')
    assert.equal(user.username, 'agent.nouveau')
    assert.lengthOf(await db.from('user_services').where({ user_id: user.id, service_id: id }), 1)
    assert.lengthOf(await mailsTo('agent.nouveau@mairie.fr'), 1)
    const list = await client.get('/gestion/comptes').qs({ q: 'agent.nouveau' }).loginAs(admin)
    list.assertTextIncludes('Agent (Service Enfance')
  })

  test('disabling an account ends its open sessions', async ({ client, assert }) => {
    const agent = await makeUser({ role: 'staff' })
    const parent = await makeUser()
    const device = new CookieAgent()
    await device.post('/connexion', { username: parent.username, password: GOOD_PASSWORD, remember: 'on' })
    assert.equal((await device.get('/accueil')).status, 200)
    await client.post(`/gestion/comptes/${parent.id}/desactiver`).loginAs(agent).withCsrfToken().redirects(0)
    assert.equal((await device.get('/accueil')).location, '/connexion')
  })
})
