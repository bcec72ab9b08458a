import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#modules/accounts/models/user'
import accountService from '#modules/accounts/services/account_service'
import { hashToken } from '#modules/accounts/services/token_service'
import { CGU_VERSION } from '#modules/accounts/services/cgu'
import { dbTime } from '#core/db_time'
import { GOOD_PASSWORD, clearOutbox, linkIn, mailsTo, tokenOf } from '#modules/accounts/tests/helpers'

async function pendingParent(email = `famille${Date.now()}${Math.random().toString(36).slice(2, 6)}@exemple.fr`) {
  return accountService.createPendingAccount({ email, fullName: 'Élodie Martin', role: 'parent' })
}

/** Moves the token's issue back so that it is `hours` (+ minutes) old. */
async function ageToken(token: string, minutesOld: number) {
  const issuedAt = DateTime.utc().minus({ minutes: minutesOld })
  await db
    .from('account_tokens')
    .where('token_hash', hashToken(token))
    .update({ created_at: dbTime(issuedAt), expires_at: dbTime(issuedAt.plus({ hours: 96 })) })
}

/** The activation form sent with the link's token. */
function activate(client: any, token: string, form: Record<string, string>) {
  return client.post(`/activation/${token}`).form(form).withCsrfToken().redirects(0)
}

/** The form as a parent fills it in: the CGU ticked, the same good password twice. */
const ACCEPTED = { cgu: 'on', password: GOOD_PASSWORD, password_confirmation: GOOD_PASSWORD }

test.group('Activation', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.setup(() => clearOutbox())

  test('the mail names the commune, the user name, the 96 hours and the link', async ({ assert }) => {
    const user = await pendingParent()
    await accountService.sendActivation(user)
    const [mail] = await mailsTo(user.email!)
    assert.exists(mail)
    assert.include(mail, 'Activer mon compte')
    assert.include(mail, user.username)
    assert.include(mail, '96 h')
    assert.include(mail, 'Ma commune')
    assert.match(linkIn(mail, '/activation'), /\/activation\/[A-Za-z0-9_-]{43}$/)
    await user.refresh()
    assert.isNotNull(user.activationSentAt)
    assert.closeTo(user.activationExpiresAt!.diff(DateTime.utc(), 'hours').hours, 96, 0.1)
  })

  test('happy path: CGU accepted, password chosen, lands on ACCUEIL with the MON DOSSIER reminder', async ({ client, assert }) => {
    const user = await pendingParent()
    await accountService.sendActivation(user)
    const url = linkIn((await mailsTo(user.email!)).pop()!, '/activation')
    const token = tokenOf(url)

    const page = await client.get(`/activation/${token}`)
    page.assertStatus(200)
    page.assertTextIncludes('Conditions générales d')
    page.assertTextIncludes(user.username)
    page.assertTextIncludes('autocomplete="new-password"')

    const response = await activate(client, token, ACCEPTED)
    response.assertStatus(302)
    response.assertHeader('location', '/accueil')
    assert.include((response.flashMessages() as any).alert.success, 'MON DOSSIER')

    await user.refresh()
    assert.equal(user.state, 'active')
    assert.equal(user.cguVersion, CGU_VERSION)
    assert.isNotNull(user.cguAcceptedAt)
    assert.isNotNull(user.activatedAt)
    assert.isTrue(await hash.verify(user.password!, GOOD_PASSWORD))
    assert.match(user.password!, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    const logged = await db.from('audit_logs').where({ subject_type: 'user', subject_id: String(user.id), action: 'accounts.activated' })
    assert.lengthOf(logged, 1)
  })

  test('a used link gets a clear page and cannot activate twice', async ({ client }) => {
    const user = await pendingParent()
    const { url } = await accountService.issueActivationLink(user)
    const token = tokenOf(url)
    await activate(client, token, ACCEPTED)
    const again = await client.get(`/activation/${token}`)
    again.assertStatus(410)
    again.assertTextIncludes('déjà servi')
    const post = await activate(client, token, { cgu: 'on', password: 'Autre-Mot-2026!', password_confirmation: 'Autre-Mot-2026!' })
    post.assertStatus(410)
  })

  test('an unknown link gets a clear page with no detail about accounts', async ({ client, assert }) => {
    const response = await client.get('/activation/inconnu-0123456789abcdefghijklmnopqrstuvwxyzABCD')
    response.assertStatus(404)
    response.assertTextIncludes("Ce lien d")
    response.assertTextIncludes('contactez le service')
    assert.notInclude(response.text(), '@exemple.fr')
  })

  test('a link still works at 96 h minus 1 minute and is refused at 96 h plus 1 minute', async ({ client }) => {
    const user = await pendingParent()
    const { url } = await accountService.issueActivationLink(user)
    const token = tokenOf(url)

    await ageToken(token, 96 * 60 - 1)
    ;(await client.get(`/activation/${token}`)).assertStatus(200)

    await ageToken(token, 96 * 60 + 1)
    const expired = await client.get(`/activation/${token}`)
    expired.assertStatus(410)
    expired.assertTextIncludes('a expiré')
    expired.assertTextIncludes('96 heures')
    const post = await activate(client, token, ACCEPTED)
    post.assertStatus(410)
    await user.refresh()
    if (user.state !== 'pending') throw new Error('expired link activated the account')
  })

  test('a new link replaces the previous one', async ({ client }) => {
    const user = await pendingParent()
    const first = await accountService.issueActivationLink(user)
    const second = await accountService.issueActivationLink(user)
    ;(await client.get(`/activation/${tokenOf(first.url)}`)).assertStatus(404)
    ;(await client.get(`/activation/${tokenOf(second.url)}`)).assertStatus(200)
  })

  test('refused without the CGU or with a weak password, errors beside the fields', async ({ client, assert }) => {
    const user = await pendingParent()
    const { url } = await accountService.issueActivationLink(user)
    const token = tokenOf(url)
    const response = await activate(client, token, { password: 'court', password_confirmation: 'court' })
    response.assertStatus(302)
    response.assertHeader('location', `/activation/${token}`)
    response.assertHasValidationError('cgu')
    response.assertHasValidationError('password')
    assert.notProperty(response.flashMessages(), 'password')

    const mismatch = await activate(client, token, { cgu: 'on', password: GOOD_PASSWORD, password_confirmation: 'Jardin-Soleil-2027' })
    mismatch.assertHasValidationError('password')
    await user.refresh()
    assert.equal(user.state, 'pending')
  })

  test('the form page shows the errors beside the fields', async ({ client }) => {
    const user = await pendingParent()
    const { url } = await accountService.issueActivationLink(user)
    const response = await client
      .get(`/activation/${tokenOf(url)}`)
      .withFlashMessages({ inputErrorsBag: { password: ['Le mot de passe est trop court.'] } })
    response.assertTextIncludes('Le formulaire contient une erreur')
    response.assertTextIncludes('id="field-password-error"')
  })

  test('createPendingAccount makes unique user names and refuses a used email', async ({ assert }) => {
    const a = await accountService.createPendingAccount({ email: 'a-unique@exemple.fr', fullName: 'Jean Dupont', role: 'parent' })
    const b = await accountService.createPendingAccount({ email: 'b-unique@exemple.fr', fullName: 'Jean Dupont', role: 'parent' })
    assert.equal(a.username, 'jean.dupont')
    assert.equal(b.username, 'jean.dupont2')
    await assert.rejects(
      () => accountService.createPendingAccount({ email: 'A-UNIQUE@exemple.fr', fullName: 'Autre', role: 'parent' }),
      /déjà celle d'un autre compte/
    )
    const found = await User.findByOrFail('username', 'jean.dupont')
    assert.equal(found.state, 'pending')
  })
})
