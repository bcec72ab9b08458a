import { test } from '@japa/runner'
import hash from '@adonisjs/core/services/hash'
import limiter from '@adonisjs/limiter/services/main'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#modules/accounts/models/user'
import { drain } from '#modules/accounts/services/background'
import { tooManyEmailChanges } from '#modules/accounts/controllers/my_account_controller'
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
      .form({ email: 'Nouvelle.Adresse@Exemple.fr', email_current_password: GOOD_PASSWORD })
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
    await client.post('/mon-compte/email').form({ email: other.email!, email_current_password: GOOD_PASSWORD }).loginAs(user).withCsrfToken().redirects(0)
    await drain()
    assert.lengthOf(await mailsTo(other.email!), 0)
    assert.equal((await User.findOrFail(user.id)).email, user.email)
  })

  test('changing the email asks the current password; a wrong one is refused beside the field, the address kept', async ({ client, assert }) => {
    const user = await makeUser()
    const outside = `dehors-${user.id}@ailleurs.example`
    const missing = await client.post('/mon-compte/email').form({ email: outside }).loginAs(user).withCsrfToken().redirects(0)
    missing.assertHasValidationError('email_current_password')
    missing.assertFlashMessage('email', outside)

    const wrong = await client
      .post('/mon-compte/email')
      .form({ email: outside, email_current_password: 'Pas-Le-Bon-2026' })
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    wrong.assertHeader('location', '/mon-compte')
    wrong.assertValidationError('email_current_password', 'Le mot de passe actuel est incorrect.')
    wrong.assertFlashMessage('email', outside)
    assert.notProperty(wrong.flashMessages(), 'email_current_password')
    await drain()
    assert.lengthOf(await mailsTo(outside), 0)

    const page = await client.get('/mon-compte').loginAs(user).withFlashMessages(wrong.flashMessages())
    page.assertTextIncludes('Le mot de passe actuel est incorrect.')
    page.assertTextIncludes(`value="${outside}"`)
    page.assertTextIncludes('id="field-email_current_password"')
  })

  test('10 email changes sent at once mail at most 3 addresses; the others are told to wait, in French', async ({ client, assert }) => {
    const user = await makeUser()
    const addresses = Array.from({ length: 10 }, (_, i) => `cible${i}-${user.id}@ailleurs.example`)
    const answers = await Promise.all(
      addresses.map((email) =>
        client.post('/mon-compte/email').form({ email, email_current_password: GOOD_PASSWORD }).loginAs(user).withCsrfToken().redirects(0)
      )
    )
    await drain()
    const mailed = (await Promise.all(addresses.map((email) => mailsTo(email)))).filter((mails) => mails.length > 0)
    assert.isAtMost(mailed.length, 3)
    assert.isAtLeast(mailed.length, 1)
    const refused = answers.filter((answer) => answer.flashMessages().errors)
    assert.lengthOf(refused, 10 - mailed.length)
    for (const answer of refused) {
      const errors = answer.flashMessages().errors as Record<string, string[]>
      assert.match(String(errors.email ?? errors.email_current_password), /[Pp]atientez \d+ minutes?/)
    }

    const later = await client
      .post('/mon-compte/email')
      .form({ email: `plus-tard-${user.id}@ailleurs.example`, email_current_password: GOOD_PASSWORD })
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    assert.match(String(Object.values(later.flashMessages().errors ?? {})), /[Pp]atientez/)
  })

  test('the fourth email change of the hour is refused beside the address, which is kept', async ({ client, assert }) => {
    const user = await makeUser()
    for (let i = 0; i < 3; i++) {
      const sent = await client
        .post('/mon-compte/email')
        .form({ email: `essai${i}-${user.id}@ailleurs.example`, email_current_password: GOOD_PASSWORD })
        .loginAs(user)
        .withCsrfToken()
        .redirects(0)
      assert.notProperty(sent.flashMessages(), 'errors')
    }
    const fourth = await client
      .post('/mon-compte/email')
      .form({ email: `essai3-${user.id}@ailleurs.example`, email_current_password: GOOD_PASSWORD })
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    assert.equal((fourth.flashMessages().errors as Record<string, string[]>).email[0], tooManyEmailChanges(3600))
    fourth.assertFlashMessage('email', `essai3-${user.id}@ailleurs.example`)
    await drain()
    assert.lengthOf(await mailsTo(`essai3-${user.id}@ailleurs.example`), 0)
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
