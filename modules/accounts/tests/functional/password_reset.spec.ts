import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import limiter from '@adonisjs/limiter/services/main'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#modules/accounts/models/user'
import { RESET_REQUESTED } from '#modules/accounts/controllers/password_reset_controller'
import { drain } from '#modules/accounts/services/background'
import { hashToken } from '#modules/accounts/services/token_service'
import { dbTime } from '#core/db_time'
import { CookieAgent, GOOD_PASSWORD, OTHER_PASSWORD, clearOutbox, linkIn, mailsTo, makeUser, tokenOf } from '#modules/accounts/tests/helpers'

function askReset(client: any, username: string) {
  return client.post('/mot-de-passe-oublie').form({ username }).withCsrfToken().redirects(0)
}

async function resetLinkFor(client: any, user: User) {
  await askReset(client, user.username)
  await drain()
  const mail = (await mailsTo(user.email!)).pop()
  if (!mail) throw new Error('no reset mail')
  return linkIn(mail, '/mot-de-passe/reinitialiser')
}

function setPassword(client: any, token: string, password: string) {
  return client
    .post(`/mot-de-passe/reinitialiser/${token}`)
    .form({ password, password_confirmation: password })
    .withCsrfToken()
    .redirects(0)
}

test.group('Password reset', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))
  group.setup(() => clearOutbox())

  test('the same answer whether the account exists or not; a mail only to the real one', async ({ client, assert }) => {
    const user = await makeUser()
    const pending = await makeUser({ state: 'pending' })
    const answers = []
    for (const name of [user.username, user.email!, 'personne.inconnue', 'inconnu@exemple.fr', pending.username]) {
      const response = await askReset(client, name)
      answers.push({ status: response.status(), location: response.header('location'), alert: response.flashMessages().alert })
    }
    for (const answer of answers) {
      assert.deepEqual(answer, { status: 302, location: '/mot-de-passe-oublie', alert: { info: RESET_REQUESTED } })
    }
    await drain()
    assert.lengthOf(await mailsTo(user.email!), 2)
    assert.lengthOf(await mailsTo(pending.email!), 0)
    assert.lengthOf(await mailsTo('inconnu@exemple.fr'), 0)
  })

  test('at most 3 reset mails an hour for one account, with the same answer', async ({ client, assert }) => {
    const user = await makeUser()
    for (let i = 0; i < 5; i++) {
      const response = await askReset(client, user.username)
      assert.deepEqual(response.flashMessages().alert, { info: RESET_REQUESTED })
    }
    await drain()
    assert.lengthOf(await mailsTo(user.email!), 3)
  })

  test('the link sets a new password once, and only once', async ({ client, assert }) => {
    const user = await makeUser()
    const token = tokenOf(await resetLinkFor(client, user))

    const form = await client.get(`/mot-de-passe/reinitialiser/${token}`)
    form.assertStatus(200)
    form.assertTextIncludes('autocomplete="new-password"')

    const done = await setPassword(client, token, OTHER_PASSWORD)
    done.assertHeader('location', '/connexion')
    const fresh = await User.findOrFail(user.id)
    assert.isTrue(await hash.verify(fresh.password!, OTHER_PASSWORD))

    const again = await setPassword(client, token, 'Encore-Un-Autre-2026')
    again.assertStatus(410)
    again.assertTextIncludes('déjà servi')
    assert.isTrue(await hash.verify((await User.findOrFail(user.id)).password!, OTHER_PASSWORD))
  })

  test('the link is valid 1 hour', async ({ client, assert }) => {
    const user = await makeUser()
    const token = tokenOf(await resetLinkFor(client, user))
    const row = await db.from('account_tokens').where('token_hash', hashToken(token)).firstOrFail()
    // SQLite returns text, PostgreSQL a Date: read both.
    const instant = (value: string | Date) =>
      value instanceof Date ? DateTime.fromJSDate(value, { zone: 'utc' }) : DateTime.fromSQL(value, { zone: 'utc' })
    const created = instant(row.created_at)
    const expires = instant(row.expires_at)
    assert.approximately(expires.diff(created, 'minutes').minutes, 60, 0.01)

    await db.from('account_tokens').where('id', row.id).update({ expires_at: dbTime(DateTime.utc().minus({ minutes: 1 })) })
    const expired = await client.get(`/mot-de-passe/reinitialiser/${token}`)
    expired.assertStatus(410)
    expired.assertTextIncludes('a expiré')
    ;(await setPassword(client, token, OTHER_PASSWORD)).assertStatus(410)
    assert.isTrue(await hash.verify((await User.findOrFail(user.id)).password!, GOOD_PASSWORD))
  })

  test('a weak new password is refused with the rule', async ({ client }) => {
    const user = await makeUser()
    const token = tokenOf(await resetLinkFor(client, user))
    const response = await setPassword(client, token, 'motdepasse12')
    response.assertHeader('location', `/mot-de-passe/reinitialiser/${token}`)
    response.assertHasValidationError('password')
    ;(await client.get(`/mot-de-passe/reinitialiser/${token}`)).assertStatus(200)
  })

  test('a new password ends the other sessions and deletes remember-me tokens', async ({ client, assert }) => {
    const user = await makeUser()
    const devices = [new CookieAgent(), new CookieAgent()]
    for (const [index, device] of devices.entries()) {
      const response = await device.post('/connexion', { username: user.username, password: GOOD_PASSWORD, remember: index === 0 ? 'on' : '' })
      assert.equal(response.location, '/accueil')
      assert.equal((await device.get('/accueil')).status, 200)
    }
    assert.lengthOf(await db.from('remember_me_tokens').where('tokenable_id', user.id), 1)

    const token = tokenOf(await resetLinkFor(client, user))
    ;(await setPassword(client, token, OTHER_PASSWORD)).assertHeader('location', '/connexion')

    for (const device of devices) {
      const after = await device.get('/accueil')
      assert.equal(after.status, 302)
      assert.equal(after.location, '/connexion')
    }
    assert.lengthOf(await db.from('remember_me_tokens').where('tokenable_id', user.id), 0)
  })

  test('a session reopened from a remember-me cookie is ended too', async ({ client, assert }) => {
    const user = await makeUser()
    const device = new CookieAgent()
    await device.post('/connexion', { username: user.username, password: GOOD_PASSWORD, remember: 'on' })
    device.jar.delete('portail-session')
    const reopened = await device.get('/accueil')
    assert.equal(reopened.status, 200)
    assert.isTrue(device.jar.has('portail-session'))

    const token = tokenOf(await resetLinkFor(client, user))
    ;(await setPassword(client, token, OTHER_PASSWORD)).assertHeader('location', '/connexion')
    assert.equal((await device.get('/accueil')).location, '/connexion')
  })
})
