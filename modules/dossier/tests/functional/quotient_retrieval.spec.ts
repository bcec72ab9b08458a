import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import Family from '#modules/dossier/models/family'
import HistoryEntry from '#modules/dossier/models/history_entry'
import { makeFamily, makeStaff, pageText } from '#modules/dossier/tests/fixtures'
import { IDENTITIES, useApiParticulierStandin } from '#modules/dossier/tests/api_particulier'
import { submitForm } from '#tests/helpers/requests'
import type { User } from '#modules/accounts/index'
import type { ApiClient } from '@japa/api-client'

const fetchWith = (client: ApiClient, user: User, identity: Record<string, string>, consent = true) =>
  submitForm(client, user, '/dossier/quotient-familial', { ...identity, ...(consent ? { consent: 'on' } : {}) })

async function fetchesOf(familyId: number) {
  return db.from('quotient_fetches').where('family_id', familyId).orderBy('id')
}

/** The id in « /dossier/quotient-familial/resultat/12 ». */
const fetchIdOf = (location: string | undefined) => Number(/resultat\/(\d+)/.exec(location ?? '')?.[1])

test.group('Dossier: the family quotient from API Particulier', (group) => {
  const api = useApiParticulierStandin(group)
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('with the parent consent: fetched, shown, confirmed from its month on, the old value in the history', async ({ client, assert }) => {
    const mine = await makeFamily('Roux')
    const dossier = await client.get('/dossier').loginAs(mine.user)
    assert.include(pageText(dossier), 'Récupérer mon quotient familial')
    const form = await client.get('/dossier/quotient-familial').loginAs(mine.user)
    form.assertStatus(200)
    assert.include(pageText(form), 'article L114-8')

    const sent = await fetchWith(client, mine.user, IDENTITIES.msa150)
    sent.assertStatus(302)
    const id = fetchIdOf(sent.header('location'))
    const result = await client.get(`/dossier/quotient-familial/resultat/${id}`).loginAs(mine.user)
    result.assertStatus(200)
    const text = pageText(result)
    assert.include(text, '150')
    assert.include(text, 'MSA')
    const now = new Date()
    const month = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'][Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Paris', month: 'numeric' }).format(now)) - 1]
    assert.include(text, month)
    await mine.family.refresh()
    assert.equal(mine.family.familyQuotient, 700, 'nothing applied before the confirmation')

    const confirmed = await submitForm(client, mine.user, `/dossier/quotient-familial/resultat/${id}/confirmer`, {})
    confirmed.assertStatus(302)
    await mine.family.refresh()
    assert.equal(mine.family.familyQuotient, 150)
    assert.equal(mine.family.quotientSource, 'MSA')
    assert.equal(mine.family.quotientOrigin, 'api_particulier')
    assert.match(mine.family.quotientReferenceDate!, /^\d{4}-\d{2}-01$/)
    const entry = await HistoryEntry.query().where('family_id', mine.family.id).where('kind', 'quotient-updated').firstOrFail()
    assert.include(entry.text, 'récupéré auprès de la MSA : 150')
    assert.include(entry.text, 'précédent : 700')

    const consent = await db.from('quotient_consents').where('family_id', mine.family.id).firstOrFail()
    assert.equal(consent.user_id, mine.user.id)
    assert.isNull(consent.revoked_at)
    // The call went with the commune's SIRET and the identity; the token only in the header.
    const call = api.standin.calls.at(-1)!
    assert.equal(call.query.get('nomNaissance'), 'Roux')
    assert.deepEqual(call.query.getAll('prenoms[]'), ['Jeanne', 'Stéphanie'])
    assert.equal(call.query.get('codeCogInseeCommuneNaissance'), '08480')
    const audits = await db.from('audit_logs').where({ subject_type: 'family', subject_id: String(mine.family.id) }).where('action', 'dossier.quotient.api-particulier')
    assert.lengthOf(audits, 1)
    assert.equal(audits[0].actor_id, mine.user.id)
    assert.include(audits[0].details, 'trouvé')
    // The family's export holds its consent, the fetched QF and the birth identity it gave.
    const exported = (await client.get('/dossier/export.json').loginAs(mine.user)).body()
    assert.equal(exported.quotientRetrieval.fetched[0].value, 150)
    assert.equal(exported.quotientRetrieval.fetched[0].outcome, 'applied')
    assert.match(exported.quotientRetrieval.consents[0].givenAt, /^\d{4}-\d{2}-\d{2}T/)
    assert.equal(exported.guardians[0].birthIdentity.birthCommuneCode, '08480')
    const everyAudit = JSON.stringify(await db.from('audit_logs'))
    assert.notInclude(everyAudit, 'jeton-de-test-tres-secret')
    assert.notInclude(everyAudit, 'MONTORGUEIL')
  })

  test('without consent nothing is asked; the form comes back with the error beside the box', async ({ client, assert }) => {
    const mine = await makeFamily('Roux')
    const before = api.standin.calls.length
    const sent = await fetchWith(client, mine.user, IDENTITIES.msa150, false)
    sent.assertStatus(302)
    assert.equal(sent.header('location'), '/dossier/quotient-familial')
    assert.deepEqual((sent.flashMessages().inputErrorsBag as any)?.consent, ['Cochez la case pour donner votre accord.'])
    assert.equal(sent.flashMessages().birthName, 'Roux', 'the input comes back')
    assert.equal(api.standin.calls.length, before)
    assert.lengthOf(await db.from('quotient_consents').where('family_id', mine.family.id), 0)
    assert.lengthOf(await fetchesOf(mine.family.id), 0)
  })

  test('the published cases QF 424 and 600 (born abroad), 846 and 954 through the form', async ({ client, assert }) => {
    for (const [identity, value] of [
      [IDENTITIES.caf424Abroad, 424],
      [IDENTITIES.caf600Abroad, 600],
      [IDENTITIES.caf846, 846],
      [IDENTITIES.caf954, 954],
    ] as const) {
      const mine = await makeFamily('Temimi')
      const sent = await fetchWith(client, mine.user, identity)
      const id = fetchIdOf(sent.header('location'))
      const result = await client.get(`/dossier/quotient-familial/resultat/${id}`).loginAs(mine.user)
      assert.include(pageText(result), String(value))
      assert.equal((await fetchesOf(mine.family.id))[0].value, value)
    }
  })

  test('errors in words, the family unchanged: not found, too many requests, service unavailable', async ({ client, assert }) => {
    const mine = await makeFamily('Dupont')
    for (const [identity, words] of [
      [IDENTITIES.notFound, 'Identité non trouvée'],
      [IDENTITIES.tooMany, 'Trop de demandes'],
      [IDENTITIES.unavailable, 'indisponible'],
    ] as const) {
      const sent = await fetchWith(client, mine.user, identity)
      sent.assertStatus(302)
      assert.equal(sent.header('location'), '/dossier/quotient-familial')
      assert.include((sent.flashMessages().alert as any)?.error, words)
    }
    await mine.family.refresh()
    assert.equal(mine.family.familyQuotient, 700)
    assert.lengthOf(await fetchesOf(mine.family.id), 0)
    const results = (await db.from('audit_logs').where('action', 'dossier.quotient.api-particulier').where('subject_id', String(mine.family.id))).map((row) => JSON.parse(row.details).result)
    assert.sameMembers(results, ['not_found', 'rate_limited', 'unavailable'])
  })

  test("another family's result is a 404, read or confirmed; the family is untouched", async ({ client, assert }) => {
    const mine = await makeFamily('Roux')
    const other = await makeFamily('Autre')
    const id = fetchIdOf((await fetchWith(client, mine.user, IDENTITIES.msa150)).header('location'))
    ;(await client.get(`/dossier/quotient-familial/resultat/${id}`).loginAs(other.user)).assertStatus(404)
    ;(await submitForm(client, other.user, `/dossier/quotient-familial/resultat/${id}/confirmer`, {})).assertStatus(404)
    const staff = await makeStaff()
    ;(await submitForm(client, staff, `/dossier/quotient-familial/resultat/${id}/confirmer`, {})).assertStatus(403)
    await mine.family.refresh()
    await other.family.refresh()
    assert.equal(mine.family.familyQuotient, 700)
    assert.equal(other.family.familyQuotient, 700)
    const row = (await fetchesOf(mine.family.id))[0]
    assert.isNull(row.confirmed_at)
  })

  test('a confirmation without the CSRF token is refused', async ({ client, assert }) => {
    const mine = await makeFamily('Roux')
    const id = fetchIdOf((await fetchWith(client, mine.user, IDENTITIES.msa150)).header('location'))
    const forged = await client.post(`/dossier/quotient-familial/resultat/${id}/confirmer`).form({}).loginAs(mine.user).redirects(0)
    assert.notEqual(forged.status(), 302)
    const forgedFetch = await client.post('/dossier/quotient-familial').form({ ...IDENTITIES.msa150, consent: 'on' }).loginAs(mine.user).redirects(0)
    assert.notEqual(forgedFetch.status(), 302)
    await mine.family.refresh()
    assert.equal(mine.family.familyQuotient, 700)
    assert.lengthOf(await fetchesOf(mine.family.id), 1)
  })

  test('the same confirmation twice at the same instant: one history line, one change', async ({ client, assert }) => {
    const mine = await makeFamily('Lefebvre')
    const id = fetchIdOf((await fetchWith(client, mine.user, IDENTITIES.caf2550)).header('location'))
    const url = `/dossier/quotient-familial/resultat/${id}/confirmer`
    const answers = await Promise.all([submitForm(client, mine.user, url, {}), submitForm(client, mine.user, url, {})])
    answers.forEach((answer) => answer.assertStatus(302))
    const lines = await HistoryEntry.query().where('family_id', mine.family.id).where('kind', 'quotient-updated')
    assert.lengthOf(lines, 1)
    await mine.family.refresh()
    assert.equal(mine.family.familyQuotient, 2550)
  })

  test('a QF set by the service is kept: the fetched value goes to the service as a request', async ({ client, assert }) => {
    const mine = await makeFamily('Roux')
    const staff = await makeStaff()
    ;(await submitForm(client, staff, `/gestion/familles/${mine.family.id}/quotient`, { familyQuotient: '910', quotientSource: 'CAF', quotientReferenceDate: '2026-01-01' })).assertStatus(302)
    await mine.family.refresh()
    assert.equal(mine.family.quotientOrigin, 'service')
    const id = fetchIdOf((await fetchWith(client, mine.user, IDENTITIES.msa150)).header('location'))
    const result = await client.get(`/dossier/quotient-familial/resultat/${id}`).loginAs(mine.user)
    assert.include(pageText(result), 'fixé par le service')
    await submitForm(client, mine.user, `/dossier/quotient-familial/resultat/${id}/confirmer`, {})
    await mine.family.refresh()
    assert.equal(mine.family.familyQuotient, 910)
    const request = await HistoryEntry.query().where('family_id', mine.family.id).where('kind', 'change-requested').firstOrFail()
    assert.include(request.text, 'récupéré auprès de la MSA : 150')
    const staffPage = pageText(await client.get(`/gestion/familles/${mine.family.id}`).loginAs(staff))
    assert.include(staffPage, 'Fixé par le service')
    assert.include(staffPage, 'Accord de la famille pour la récupération automatique donné le')
  })

  test('the consent is revocable, dated in the history; a new fetch then asks for it again', async ({ client, assert }) => {
    const mine = await makeFamily('Simpson')
    ;(await fetchWith(client, mine.user, IDENTITIES.caf300Abroad)).assertStatus(302)
    ;(await submitForm(client, mine.user, '/dossier/quotient-familial/accord/retirer', {})).assertStatus(302)
    const consent = await db.from('quotient_consents').where('family_id', mine.family.id).firstOrFail()
    assert.isNotNull(consent.revoked_at)
    assert.isNotNull(await HistoryEntry.query().where('family_id', mine.family.id).where('kind', 'quotient-consent-revoked').first())
    const before = api.standin.calls.length
    ;(await fetchWith(client, mine.user, IDENTITIES.caf300Abroad, false)).assertStatus(302)
    assert.equal(api.standin.calls.length, before)
  })
})

test.group('Dossier: without API Particulier configured', () => {
  test('no button, and its pages answer 404', async ({ client, assert }) => {
    const mine = await makeFamily('Roux')
    const dossier = await client.get('/dossier').loginAs(mine.user)
    assert.notInclude(pageText(dossier), 'Récupérer mon quotient familial')
    ;(await client.get('/dossier/quotient-familial').loginAs(mine.user)).assertStatus(404)
    ;(await fetchWith(client, mine.user, IDENTITIES.msa150)).assertStatus(404)
    await Family.query().where('id', mine.family.id).delete()
  })
})
