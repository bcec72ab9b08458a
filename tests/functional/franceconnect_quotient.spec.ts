import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import limiter from '@adonisjs/limiter/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import encryption from '@adonisjs/core/services/encryption'
import FranceconnectLink from '#modules/accounts/models/franceconnect_link'
import { CookieAgent } from '#modules/accounts/tests/helpers'
import { LINKABLE, portalBase, signInWithFranceConnect, throughFranceConnect, useFranceConnectStandIn } from '#modules/accounts/tests/franceconnect'
import { startStandIn } from '#modules/accounts/franceconnect_stand_in/stand_in'
import { IDENTITIES, useApiParticulierStandin } from '#modules/dossier/tests/api_particulier'
import { FRANCECONNECT_QUOTIENT_PATH, QUOTIENT_PATH } from '#modules/dossier/api_particulier/config'
import Family from '#modules/dossier/models/family'
import { createFamily } from '#tests/helpers/factories'
import { CGU_VERSION } from '#modules/accounts/index'

const PASSWORD = 'Un-Mot-De-Passe-Solide-2026'
const PAGE = '/dossier/quotient-familial'

/** Christine, linked to the demo FranceConnect identity that has a QF (650, CAF) in the API Particulier stand-in. */
async function christine() {
  const { family, users } = await createFamily({
    lastName: 'Guerucci',
    family: { familyQuotient: 700 },
    guardians: [{ firstName: 'Christine', lastName: 'Guerucci', birthDate: LINKABLE.birthdate, account: { state: 'active', cguVersion: CGU_VERSION, cguAcceptedAt: DateTime.utc() } }],
  })
  await FranceconnectLink.create({ userId: users[0].id, sub: LINKABLE.sub, linkedAt: DateTime.utc() })
  return { family, user: users[0] }
}

async function signedInWithFranceConnect(fc: ReturnType<typeof useFranceConnectStandIn>) {
  const agent = new CookieAgent()
  const back = await signInWithFranceConnect(agent, fc.standIn, LINKABLE.sub)
  if (back.location !== '/accueil') throw new Error(`connexion FranceConnect refusée : ${back.status} ${back.location}`)
  return agent
}

/** What the browser holds: every cookie, the encrypted ones decrypted. */
function cookiesOf(agent: CookieAgent) {
  return [...agent.jar]
    .map(([name, raw]) => {
      const value = decodeURIComponent(raw)
      return value.startsWith('e:') ? JSON.stringify(encryption.decrypt(value.slice(2), name)) : value
    })
    .join('\n')
}

/** The page's text with Edge's escaped apostrophes back. */
const unescaped = (text: string) => text.replaceAll('&#39;', "'").replaceAll('&#x27;', "'").replaceAll('&quot;', '"')

test.group('API Particulier with FranceConnect: the quotient fetched with the parent’s FranceConnect authorisation', (group) => {
  const api = useApiParticulierStandin(group)
  const fc = useFranceConnectStandIn(group)
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))
  group.each.setup(() => {
    api.standin.calls.length = 0
    api.standin.franceconnectIssuer = undefined
  })

  test('signed in with FranceConnect: /france_connect with the FranceConnect token, then gone at logout', async ({ assert }) => {
    const { family } = await christine()
    const agent = await signedInWithFranceConnect(fc)

    const page = await agent.get(PAGE)
    assert.equal(page.status, 200)
    assert.include(page.text, 'Vous êtes connecté avec FranceConnect')
    assert.include(page.text, 'article L114-8')
    assert.notInclude(page.text, 'name="birthName"')

    const refused = await agent.post(PAGE, { via: 'france_connect' })
    assert.equal(refused.location, PAGE)
    assert.include((await agent.get(PAGE)).text, 'Cochez la case pour donner votre accord.')
    assert.lengthOf(api.standin.calls, 0)

    const sent = await agent.post(PAGE, { via: 'france_connect', consent: 'on' })
    assert.match(sent.location ?? '', /\/dossier\/quotient-familial\/resultat\/\d+$/)
    const call = api.standin.calls.at(-1)!
    assert.equal(call.path, FRANCECONNECT_QUOTIENT_PATH)
    assert.equal(call.bearer, 'franceconnect', 'the FranceConnect token, not the commune’s')
    assert.equal(call.query.get('recipient'), '21060004200019')
    assert.isNull(call.query.get('nomNaissance'))

    const result = await agent.get(sent.location!)
    assert.include(result.text, '650')
    const confirm = await agent.post(`${sent.location}/confirmer`, {}, sent.location!)
    assert.equal(confirm.status, 302)
    assert.equal((await Family.findOrFail(family.id)).familyQuotient, 650)

    // Consent stored as with the identity; the audit says which call, never the token.
    const consent = await db.from('quotient_consents').where('family_id', family.id).firstOrFail()
    assert.isNull(consent.revoked_at)
    const audits = await db.from('audit_logs').where('action', 'dossier.quotient.api-particulier').where('subject_id', String(family.id))
    assert.lengthOf(audits, 1)
    assert.include(audits[0].details, 'france_connect')

    // The token lives only server-side: in no cookie (even decrypted), not in the audit.
    const token = call.franceconnectToken!
    assert.isAbove(token.length, 10)
    assert.notInclude(cookiesOf(agent), token)
    assert.notInclude(JSON.stringify(await db.from('audit_logs')), token)

    // Logout (through FranceConnect's end-session page): the token is gone, not moved into the visitor's cookie.
    const logout = await agent.post('/deconnexion', {}, '/mon-compte')
    await throughFranceConnect(agent, fc.standIn, logout, { sub: LINKABLE.sub })
    assert.notInclude(cookiesOf(agent), token)
    assert.notInclude(cookiesOf(agent), 'franceconnect.data_token')
    // Signed in again with the password in the same browser: the identity form, the identite call.
    const login = await agent.post('/connexion', { username: (await db.from('users').where('id', consent.user_id).firstOrFail()).username, password: PASSWORD })
    assert.equal(login.status, 302)
    const again = await agent.get(PAGE)
    assert.include(again.text, 'name="birthName"')
    assert.notInclude(again.text, 'Vous êtes connecté avec FranceConnect')
  })

  test('a token API Particulier refuses (401): a French message, nothing changed, the identity form next', async ({ assert }) => {
    const { family } = await christine()
    const agent = await signedInWithFranceConnect(fc)
    // Another FranceConnect does not know this token: the API's check fails as for an expired one.
    const other = await startStandIn(0, { clientId: 'autre', clientSecret: 'autre-secret-0123456789', redirectUris: [`${portalBase()}/x`], postLogoutRedirectUris: [] })
    try {
      api.standin.franceconnectIssuer = other.issuer
      const sent = await agent.post(PAGE, { via: 'france_connect', consent: 'on' })
      assert.equal(sent.location, PAGE)
      const page = await agent.get(PAGE)
      assert.include(unescaped(page.text), "Votre autorisation FranceConnect n'est plus valable")
      assert.include(unescaped(page.text), "Votre dossier n'a pas été modifié.")
      assert.include(page.text, 'name="birthName"', 'the refused token is forgotten')
      assert.equal(api.standin.calls.length, 0, 'refused before the call is counted')
      assert.lengthOf(await db.from('quotient_fetches').where('family_id', family.id), 0)
      assert.equal((await Family.findOrFail(family.id)).familyQuotient, 700)
      const audit = await db.from('audit_logs').where('action', 'dossier.quotient.api-particulier').where('subject_id', String(family.id)).firstOrFail()
      assert.include(audit.details, 'bad_token')
    } finally {
      await other.close()
    }
  })

  test('signed in with the password: the identite call with the commune’s token', async ({ assert }) => {
    const { user } = await christine()
    const agent = new CookieAgent()
    await agent.post('/connexion', { username: user.username, password: PASSWORD })
    const page = await agent.get(PAGE)
    assert.include(page.text, 'name="birthName"')
    // A form claiming FranceConnect without a FranceConnect sign-in: refused in words, no call.
    const forged = await agent.post(PAGE, { via: 'france_connect', consent: 'on' })
    assert.equal(forged.location, PAGE)
    assert.include((await agent.get(PAGE)).text, 'autorisation FranceConnect')
    assert.lengthOf(api.standin.calls, 0)

    const sent = await agent.post(PAGE, { ...IDENTITIES.caf2550, consent: 'on' })
    assert.match(sent.location ?? '', /resultat\/\d+$/)
    const call = api.standin.calls.at(-1)!
    assert.equal(call.path, QUOTIENT_PATH)
    assert.equal(call.bearer, 'commune')
  })

  test('FranceConnect sign-in while API Particulier is not configured: no data scope asked, the identite path later', async ({ assert }) => {
    await christine()
    const saved = { url: process.env.API_PARTICULIER_URL, token: process.env.API_PARTICULIER_TOKEN, recipient: process.env.API_PARTICULIER_RECIPIENT }
    delete process.env.API_PARTICULIER_TOKEN
    delete process.env.API_PARTICULIER_RECIPIENT
    let agent: CookieAgent
    try {
      const start = await new CookieAgent().post('/connexion/franceconnect', {}, '/connexion')
      assert.notInclude(new URL(start.location!).searchParams.get('scope')!, 'cnaf_quotient_familial')
      agent = await signedInWithFranceConnect(fc)
    } finally {
      process.env.API_PARTICULIER_TOKEN = saved.token
      process.env.API_PARTICULIER_RECIPIENT = saved.recipient
    }
    const withApi = await new CookieAgent().post('/connexion/franceconnect', {}, '/connexion')
    assert.include(new URL(withApi.location!).searchParams.get('scope')!, 'cnaf_quotient_familial')
    const page = await agent.get(PAGE)
    assert.include(page.text, 'name="birthName"')
    assert.notInclude(page.text, 'Vous êtes connecté avec FranceConnect')
  })
})
