import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import Guardian from '#modules/dossier/models/guardian'
import HistoryEntry from '#modules/dossier/models/history_entry'
import { makeFamily, makeStaff, pageText } from '#modules/dossier/tests/fixtures'

const formOf = (familyId: number, guardianId: number) => `/gestion/familles/${familyId}/responsables/${guardianId}/identite-de-naissance`

test.group('Dossier: staff enter a guardian’s birth identity', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('entered from the file, saved, dated in the history and audited; shown on the file', async ({ client, assert }) => {
    const staff = await makeStaff()
    const { family, guardian } = await makeFamily('Rossi')
    const show = await client.get(`/gestion/familles/${family.id}`).loginAs(staff)
    assert.include(pageText(show), 'Identité de naissance')
    assert.include(show.text(), formOf(family.id, guardian.id))

    const page = await client.get(formOf(family.id, guardian.id)).loginAs(staff)
    page.assertStatus(200)
    assert.include(pageText(page), 'Pays de naissance (code INSEE)')

    const saved = await client
      .post(formOf(family.id, guardian.id))
      .form({ birthName: 'ROSSI', birthFirstNames: 'Christine  Marie', birthSex: 'F', birthDate: '1984-04-12', birthCountryCode: '99100', birthCommuneCode: '2a004' })
      .withCsrfToken()
      .loginAs(staff)
      .redirects(0)
    saved.assertStatus(302)
    assert.equal(saved.header('location'), `/gestion/familles/${family.id}`)
    const after = await Guardian.findOrFail(guardian.id)
    assert.equal(after.birthName, 'ROSSI')
    assert.equal(after.birthFirstNames, 'Christine Marie')
    assert.equal(after.birthSex, 'F')
    assert.equal(after.birthDate, '1984-04-12')
    assert.equal(after.birthCountryCode, '99100')
    assert.equal(after.birthCommuneCode, '2A004')
    const entry = await HistoryEntry.query().where('family_id', family.id).where('kind', 'guardian-updated').firstOrFail()
    assert.include(entry.text, 'nom de naissance')
    const audit = await db.from('audit_logs').where('action', 'dossier.guardian.birth-identity').where('subject_id', String(family.id)).firstOrFail()
    assert.equal(audit.actor_id, staff.id)
    assert.include(pageText(await client.get(`/gestion/familles/${family.id}`).loginAs(staff)), 'ROSSI Christine Marie, née le 12/04/1984')

    // Born abroad: no commune kept; the same values again change nothing.
    await client.post(formOf(family.id, guardian.id)).form({ birthName: 'ROSSI', birthFirstNames: 'Christine Marie', birthSex: 'F', birthDate: '1984-04-12', birthCountryCode: '99127', birthCommuneCode: '06088' }).withCsrfToken().loginAs(staff)
    const abroad = await Guardian.findOrFail(guardian.id)
    assert.equal(abroad.birthCountryCode, '99127')
    assert.isNull(abroad.birthCommuneCode)
    const again = await client.post(formOf(family.id, guardian.id)).form({ birthName: 'ROSSI', birthFirstNames: 'Christine Marie', birthSex: 'F', birthDate: '1984-04-12', birthCountryCode: '99127' }).withCsrfToken().loginAs(staff).redirects(0)
    assert.equal((again.flashMessages().alert as any)?.success, "Aucune modification : rien n'a changé.")
  })

  test('bad input: the form again, each error beside its field, what was typed kept, nothing saved', async ({ client, assert }) => {
    const staff = await makeStaff()
    const { family, guardian } = await makeFamily('Rossi')
    const form = formOf(family.id, guardian.id)
    const refused = await client
      .post(form)
      .form({ birthName: 'ROSSI-TAPÉ', birthFirstNames: 'Un Deux Trois Quatre', birthSex: 'X', birthDate: '1984-02-30', birthCountryCode: '100', birthCommuneCode: '' })
      .withCsrfToken()
      .loginAs(staff)
      .header('referer', form)
    refused.assertStatus(200)
    const text = pageText(refused)
    assert.include(text, 'Le formulaire contient')
    for (const sentence of [
      'Indiquez trois prénoms au plus',
      'Choisissez Féminin (F) ou Masculin (M).',
      "Cette date n'existe pas",
      'Le code INSEE du pays de naissance a 5 chiffres',
    ]) assert.include(text, sentence)
    assert.include(text, 'value="ROSSI-TAPÉ"')
    assert.include(text, 'value="Un Deux Trois Quatre"')
    assert.match(refused.text(), /id="birthSex-error"|aria-describedby="[^"]*birthSex/)

    const noCommune = await client.post(form).form({ birthCountryCode: '99100', birthDate: '2150-01-01' }).withCsrfToken().loginAs(staff).header('referer', form)
    assert.include(pageText(noCommune), 'Né(e) en France (pays 99100) : indiquez le code INSEE de la commune de naissance')
    assert.include(pageText(noCommune), 'La date de naissance ne peut pas être dans le futur.')
    const unchanged = await Guardian.findOrFail(guardian.id)
    assert.isNull(unchanged.birthName)
    assert.isNull(unchanged.birthCountryCode)
  })

  test("another family's guardian: 404, read or written; a parent is refused", async ({ client, assert }) => {
    const staff = await makeStaff()
    const mine = await makeFamily('Rossi')
    const theirs = await makeFamily('Martin')
    const crossed = formOf(mine.family.id, theirs.guardian.id)
    ;(await client.get(crossed).loginAs(staff)).assertStatus(404)
    const written = await client.post(crossed).form({ birthName: 'INTRUS' }).withCsrfToken().loginAs(staff).redirects(0)
    written.assertStatus(404)
    assert.isNull((await Guardian.findOrFail(theirs.guardian.id)).birthName)
    const parent = await client.get(formOf(mine.family.id, mine.guardian.id)).loginAs(mine.user).redirects(0)
    assert.include([302, 403, 404], parent.status())
    const byParent = await client.post(formOf(mine.family.id, mine.guardian.id)).form({ birthName: 'PARENT' }).withCsrfToken().loginAs(mine.user).redirects(0)
    assert.include([302, 403, 404], byParent.status())
    assert.isNull((await Guardian.findOrFail(mine.guardian.id)).birthName)
  })
})
