import { test } from '@japa/runner'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#modules/accounts/models/user'
import tokens from '#modules/accounts/services/token_service'
import { Argon } from '@adonisjs/core/hash/drivers/argon'
import { hashNewPassword, loginQueue, passwordChecks } from '#modules/accounts/services/password_hashing'
import { GOOD_PASSWORD, OTHER_PASSWORD, holdEveryCheck, makeUser, restoreQueueBoundAfterEach, until } from '#modules/accounts/tests/helpers'

const COME_BACK = /^De nombreuses familles se connectent en ce moment : (votre activation|votre demande) n'a pas pu être traitée\. Réessayez dans \d+ secondes\.$/

function activate(client: any, token: string, password = GOOD_PASSWORD) {
  return client.post(`/activation/${token}`).form({ cgu: 'on', password, password_confirmation: password }).withCsrfToken().redirects(0)
}

function reset(client: any, token: string, password = OTHER_PASSWORD) {
  return client.post(`/mot-de-passe/reinitialiser/${token}`).form({ password, password_confirmation: password }).withCsrfToken().redirects(0)
}

async function linkFor(user: User, purpose: 'activation' | 'password_reset') {
  return (await tokens.issue(user.id, purpose, { hours: 1 })).token
}

/**
 * While the app hashes a password, another request writes the account's tokens (the rows the
 * form's transaction updates): « libre » if it gets through within 1.5 s, « bloquée » if an open
 * transaction holds it (on SQLite one connection serves the whole portal; on PostgreSQL the
 * token's row is locked).
 */
function probeWhileHashing(userId: number) {
  const argon = hash.use('argon')
  const original = argon.make
  const seen: string[] = []
  argon.make = async function (this: typeof argon, value: string) {
    const write = db.rawQuery('update account_tokens set expires_at = expires_at where user_id = ?', [userId])
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('bloquée'), 1500))
    seen.push(await Promise.race([write.then(() => 'libre'), timeout]))
    return original.call(this, value)
  }
  return { seen, restore: () => (argon.make = original) }
}

test.group('Password hashing: never inside a transaction', (group) => {
  // No global transaction here: the test is about the transactions the forms open.
  const created: number[] = []
  group.each.setup(() => limiter.clear(['memory']))
  group.teardown(async () => {
    await User.query().whereIn('id', created).delete()
  })

  test('an activation hashes the new password before its transaction: the database answers others meanwhile', async ({ client, assert }) => {
    const user = await makeUser({ state: 'pending' })
    created.push(user.id)
    const token = await linkFor(user, 'activation')
    const probe = probeWhileHashing(user.id)
    try {
      const response = await activate(client, token)
      assert.equal(response.header('location'), '/accueil')
    } finally {
      probe.restore()
    }
    assert.deepEqual(probe.seen, ['libre'])
    await user.refresh()
    assert.equal(user.state, 'active')
    assert.isTrue(await hash.verify(user.password!, GOOD_PASSWORD))
  })

  test('a password reset hashes the new password before its transaction', async ({ client, assert }) => {
    const user = await makeUser()
    created.push(user.id)
    const token = await linkFor(user, 'password_reset')
    const probe = probeWhileHashing(user.id)
    try {
      const response = await reset(client, token)
      assert.equal(response.header('location'), '/connexion')
    } finally {
      probe.restore()
    }
    assert.deepEqual(probe.seen, ['libre'])
    await user.refresh()
    assert.isTrue(await hash.verify(user.password!, OTHER_PASSWORD))
  })
})

test.group('Password hashing: in the password slots, under the queue bound', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))
  restoreQueueBoundAfterEach(group)

  test('an activation waits for a password slot, as a login does', async ({ client, assert }) => {
    const user = await makeUser({ state: 'pending' })
    const token = await linkFor(user, 'activation')
    const held = await holdEveryCheck()
    // The api client sends a request when it is awaited: Promise.resolve sends it now.
    const waiting = Promise.resolve(activate(client, token))
    try {
      await until(() => passwordChecks.waiting === 1)
      await user.refresh()
      assert.equal(user.state, 'pending')
    } finally {
      await held.release()
    }
    assert.equal((await waiting).header('location'), '/accueil')
    await user.refresh()
    assert.equal(user.state, 'active')
  })

  test('past the bound, an activation is answered at once: message, CGU kept, account pending, the link still good', async ({ client, assert }) => {
    const user = await makeUser({ state: 'pending' })
    const token = await linkFor(user, 'activation')
    const held = await holdEveryCheck()
    try {
      loginQueue.maxWaitMs = 0
      const response = await activate(client, token)
      assert.equal(response.header('location'), `/activation/${token}`)
      const flash = response.flashMessages()
      assert.match(flash.formError, COME_BACK)
      assert.include(flash.formError, 'votre activation')
      assert.equal(flash.cgu, 'on')
      assert.notProperty(flash, 'password')
      await user.refresh()
      assert.equal(user.state, 'pending')
    } finally {
      await held.release()
    }
    loginQueue.maxWaitMs = 30_000
    assert.equal((await activate(client, token)).header('location'), '/accueil')
  })

  test('past the bound, a password reset is answered at once; the password unchanged, the link still good', async ({ client, assert }) => {
    const user = await makeUser()
    const token = await linkFor(user, 'password_reset')
    const held = await holdEveryCheck()
    try {
      loginQueue.maxWaitMs = 0
      const response = await reset(client, token)
      assert.equal(response.header('location'), `/mot-de-passe/reinitialiser/${token}`)
      assert.match(response.flashMessages().formError, COME_BACK)
    } finally {
      await held.release()
    }
    await user.refresh()
    assert.isTrue(await hash.verify(user.password!, GOOD_PASSWORD))
    loginQueue.maxWaitMs = 30_000
    assert.equal((await reset(client, token)).header('location'), '/connexion')
  })

  test('past the bound, « Mon compte » says so beside the current password and spends no attempt', async ({ client, assert }) => {
    const user = await makeUser()
    const change = () =>
      client
        .post('/mon-compte/mot-de-passe')
        .form({ current_password: GOOD_PASSWORD, password: OTHER_PASSWORD, password_confirmation: OTHER_PASSWORD })
        .loginAs(user)
        .withCsrfToken()
        .redirects(0)
    const held = await holdEveryCheck()
    try {
      loginQueue.maxWaitMs = 0
      // More refusals than the account's 5 attempts a minute: none of them spends one.
      for (let i = 0; i < 6; i++) {
        const response = await change()
        assert.equal(response.header('location'), '/mon-compte')
        const errors = response.flashMessages().errors as Record<string, string[]>
        assert.lengthOf(errors.current_password, 1)
        assert.match(errors.current_password[0], COME_BACK)
      }
    } finally {
      await held.release()
    }
    await user.refresh()
    assert.isTrue(await hash.verify(user.password!, GOOD_PASSWORD))
    loginQueue.maxWaitMs = 30_000
    assert.equal((await change()).header('location'), '/mon-compte')
    await user.refresh()
    assert.isTrue(await hash.verify(user.password!, OTHER_PASSWORD))
  })

  test('a hash made beforehand is saved as it is; a plain password (seeders) is hashed when saved', async ({ assert }) => {
    const user = await makeUser()
    const made = await hashNewPassword(OTHER_PASSWORD)
    assert.property(made, 'hashed')
    if (!('hashed' in made)) return
    user.usePasswordHash(made.hashed)
    await user.save()
    await user.refresh()
    assert.equal(user.password, made.hashed)
    user.password = GOOD_PASSWORD
    await user.save()
    await user.refresh()
    assert.notEqual(user.password, GOOD_PASSWORD)
    assert.isTrue(await hash.verify(user.password!, GOOD_PASSWORD))
  })

  test('the rehash of an older hash at login waits for a free slot: in a rush the next login does it', async ({ client, assert }) => {
    const weak = new Argon({ variant: 'id', iterations: 2, memory: 4096, parallelism: 1, saltSize: 16, hashLength: 32, version: 0x13 })
    const user = await makeUser()
    await db.from('users').where('id', user.id).update({ password: await weak.make(GOOD_PASSWORD) })
    const login = () => client.post('/connexion').form({ username: user.username, password: GOOD_PASSWORD }).withCsrfToken().redirects(0)
    // Every slot taken, each by a task of its own; the login waits, and another task behind it.
    const releases: (() => void)[] = []
    const holders = Array.from({ length: passwordChecks.limit }, () => passwordChecks.run(() => new Promise<void>((resolve) => releases.push(resolve))))
    const waiting = Promise.resolve(login())
    await until(() => passwordChecks.waiting === 1)
    let releaseBehind!: () => void
    const behind = passwordChecks.run(() => new Promise<void>((resolve) => (releaseBehind = resolve)))
    // One slot freed: the login's check runs, then the task behind takes its slot back.
    releases.shift()!()
    // A login that waited for a slot to rehash would wait for the task behind it: 3 s at most here.
    const answer = await Promise.race([waiting, new Promise<null>((resolve) => setTimeout(() => resolve(null), 3000))])
    const kept = await User.findOrFail(user.id)
    releases.forEach((release) => release())
    releaseBehind()
    await Promise.all([...holders, behind, waiting])
    assert.isNotNull(answer, 'la connexion a attendu une place pour refaire le hachage')
    assert.equal(answer!.header('location'), '/accueil')
    assert.isTrue(hash.needsReHash(kept.password!))
    // A slot free at the next login: rehashed with today's settings.
    assert.equal((await login()).header('location'), '/accueil')
    const fresh = await User.findOrFail(user.id)
    assert.isFalse(hash.needsReHash(fresh.password!))
    assert.isTrue(await hash.verify(fresh.password!, GOOD_PASSWORD))
  })
})
