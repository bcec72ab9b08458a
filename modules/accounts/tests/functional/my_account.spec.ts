import { test } from '@japa/runner'
import hash from '@adonisjs/core/services/hash'
import limiter from '@adonisjs/limiter/services/main'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#modules/accounts/models/user'
import { drain } from '#modules/accounts/services/background'
import { CookieAgent, GOOD_PASSWORD, OTHER_PASSWORD, clearOutbox, linkIn, mailsTo, makeUser, tokenOf } from '#modules/accounts/tests/helpers'

test.group('Mon compte', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))
  group.setup(() => clearOutbox())

  test('needs a login, and shows identifiers, forms and devices', async ({ client }) => {
    ;(await client.get('/mon-compte').redirects(0)).assertHeader('location', '/connexion')
    const user = await makeUser()
    const response = await client.get('/mon-compte').loginAs(user)
    response.assertStatus(200)
    response.assertTextIncludes(user.username)
    response.assertTextIncludes('autocomplete="current-password"')
    response.assertTextIncludes('Aucun appareil mémorisé')
    response.assertTextIncludes('action="/deconnexion"')
  })

  test('the layout links to Mon compte', async ({ client }) => {
    const user = await makeUser()
    ;(await client.get('/accueil').loginAs(user)).assertTextIncludes('href="/mon-compte"')
  })

  test('changing the password asks the current one', async ({ client, assert }) => {
    const user = await makeUser()
    const wrong = await client
      .post('/mon-compte/mot-de-passe')
      .form({ current_password: 'Pas-Le-Bon-2026', password: OTHER_PASSWORD, password_confirmation: OTHER_PASSWORD })
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    wrong.assertHeader('location', '/mon-compte')
    wrong.assertHasValidationError('current_password')
    assert.notProperty(wrong.flashMessages(), 'current_password')
    assert.isTrue(await hash.verify((await User.findOrFail(user.id)).password!, GOOD_PASSWORD))

    const ok = await client
      .post('/mon-compte/mot-de-passe')
      .form({ current_password: GOOD_PASSWORD, password: OTHER_PASSWORD, password_confirmation: OTHER_PASSWORD })
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    ok.assertHeader('location', '/mon-compte')
    assert.isTrue(await hash.verify((await User.findOrFail(user.id)).password!, OTHER_PASSWORD))
  })

  test('changing the password ends the sessions of the other devices', async ({ assert }) => {
    const user = await makeUser()
    const [here, elsewhere] = [new CookieAgent(), new CookieAgent()]
    await here.post('/connexion', { username: user.username, password: GOOD_PASSWORD })
    await elsewhere.post('/connexion', { username: user.username, password: GOOD_PASSWORD, remember: 'on' })
    const changed = await here.post(
      '/mon-compte/mot-de-passe',
      { current_password: GOOD_PASSWORD, password: OTHER_PASSWORD, password_confirmation: OTHER_PASSWORD },
      '/mon-compte'
    )
    assert.equal(changed.location, '/mon-compte')
    assert.equal((await here.get('/mon-compte')).status, 200)
    assert.equal((await elsewhere.get('/mon-compte')).location, '/connexion')
    assert.lengthOf(await db.from('remember_me_tokens').where('tokenable_id', user.id), 0)
  })

  test('a new email is confirmed by a link sent to it', async ({ client, assert }) => {
    const user = await makeUser()
    const response = await client
      .post('/mon-compte/email')
      .form({ email: 'Nouvelle.Adresse@Exemple.fr' })
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    response.assertHeader('location', '/mon-compte')
    await drain()
    assert.equal((await User.findOrFail(user.id)).email, user.email)
    const mail = (await mailsTo('nouvelle.adresse@exemple.fr')).pop()!
    const token = tokenOf(linkIn(mail, '/mon-compte/email/confirmer'))
    ;(await client.get(`/mon-compte/email/confirmer/${token}`)).assertStatus(200)
    const confirmed = await client.post(`/mon-compte/email/confirmer/${token}`).withCsrfToken().redirects(0)
    confirmed.assertStatus(302)
    assert.equal((await User.findOrFail(user.id)).email, 'nouvelle.adresse@exemple.fr')
    await drain()
    const notice = (await mailsTo(user.email!)).pop()!
    assert.include(notice, 'a été remplacée par nouvelle.adresse@exemple.fr')
    ;(await client.post(`/mon-compte/email/confirmer/${token}`).withCsrfToken().redirects(0)).assertStatus(410)
  })

  test('an email already used by another account is not taken over', async ({ client, assert }) => {
    const user = await makeUser()
    const other = await makeUser()
    await client.post('/mon-compte/email').form({ email: other.email! }).loginAs(user).withCsrfToken().redirects(0)
    await drain()
    assert.lengthOf(await mailsTo(other.email!), 0)
    assert.equal((await User.findOrFail(user.id)).email, user.email)
  })

  test('a remembered device can be revoked, only by its owner', async ({ client, assert }) => {
    const user = await makeUser()
    const other = await makeUser()
    await client.post('/connexion').form({ username: user.username, password: GOOD_PASSWORD, remember: 'on' }).withCsrfToken().redirects(0)
    const device = await db.from('remember_me_tokens').where('tokenable_id', user.id).firstOrFail()
    ;(await client.get('/mon-compte').loginAs(user)).assertTextIncludes('OUBLIER')

    const foreign = await client.post(`/mon-compte/appareils/${device.id}/oublier`).loginAs(other).withCsrfToken().redirects(0)
    foreign.assertStatus(404)
    assert.lengthOf(await db.from('remember_me_tokens').where('id', device.id), 1)

    const own = await client.post(`/mon-compte/appareils/${device.id}/oublier`).loginAs(user).withCsrfToken().redirects(0)
    own.assertHeader('location', '/mon-compte')
    assert.lengthOf(await db.from('remember_me_tokens').where('id', device.id), 0)
  })
})
