import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { User } from '#modules/accounts/index'
import Family from '#modules/dossier/models/family'
import Guardian from '#modules/dossier/models/guardian'
import Child from '#modules/dossier/models/child'
import AuthorizedPerson from '#modules/dossier/models/authorized_person'
import HistoryEntry from '#modules/dossier/models/history_entry'
import { makeFamily, makeStaff, outboxMailsTo, pageText } from '#modules/dossier/tests/fixtures'

test.group('Dossier: Gestion > Familles', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('staff search by guardian, child, email and reference, paginated', async ({ client, assert }) => {
    const staff = await makeStaff()
    const dupont = await makeFamily('Dupont')
    const martin = await makeFamily('Martin')
    const list = await client.get('/gestion/familles').loginAs(staff)
    list.assertStatus(200)
    assert.include(pageText(list), dupont.family.reference)
    assert.include(pageText(list), martin.family.reference)
    for (const q of ['dupont', 'EnfantDupont', dupont.user.email!, dupont.family.reference.toLowerCase(), 'alice dupont']) {
      const found = await client.get('/gestion/familles').qs({ q }).loginAs(staff)
      assert.include(pageText(found), dupont.family.reference, q)
      assert.notInclude(pageText(found), martin.family.reference, q)
    }
    const none = await client.get('/gestion/familles').qs({ q: '%' }).loginAs(staff)
    assert.include(pageText(none), 'Aucune famille ne correspond')
    const badPage = await client.get('/gestion/familles').qs({ page: 'abc' }).loginAs(staff)
    badPage.assertStatus(200)
    const menu = await client.get('/gestion').loginAs(staff)
    assert.include(pageText(menu), 'Familles')
  })

  test('staff see the whole file with its history, and set the QF', async ({ client, assert }) => {
    const staff = await makeStaff()
    const dupont = await makeFamily('Dupont')
    const show = await client.get(`/gestion/familles/${dupont.family.id}`).loginAs(staff)
    show.assertStatus(200)
    for (const text of ['EnfantDupont', 'VoisinDupont', 'vaccins-Dupont.pdf', 'Quotient familial']) assert.include(pageText(show), text)
    const bad = await client.post(`/gestion/familles/${dupont.family.id}/quotient`).form({ familyQuotient: '-4' }).withCsrfToken().loginAs(staff).header('referer', `/gestion/familles/${dupont.family.id}`)
    assert.include(pageText(bad), 'Le formulaire contient')
    await client.post(`/gestion/familles/${dupont.family.id}/quotient`).form({ familyQuotient: '1234', quotientSource: 'MSA', quotientReferenceDate: '2026-01-01' }).withCsrfToken().loginAs(staff)
    const family = await Family.findOrFail(dupont.family.id)
    assert.equal(family.familyQuotient, 1234)
    assert.equal(family.quotientSource, 'MSA')
    const entry = await HistoryEntry.query().where('family_id', family.id).firstOrFail()
    assert.include(entry.text, 'quotient familial : « 700 » → « 1234 »')
    const parent = await client.get('/dossier/demarches').loginAs(dupont.user)
    assert.include(pageText(parent), '1234')
    const missing = await client.get('/gestion/familles/999999').loginAs(staff)
    missing.assertStatus(404)
  })

  test('staff create a family by hand with pending accounts for guardians who have an email', async ({ client, assert }) => {
    const staff = await makeStaff()
    const refused = await client.post('/gestion/familles').form({ reference: '', regime: 'CAF', guardian1LastName: '' }).withCsrfToken().loginAs(staff).header('referer', '/gestion/familles/nouvelle')
    assert.include(pageText(refused), 'Le formulaire contient')
    const response = await client
      .post('/gestion/familles')
      .form({
        reference: 'MAIN-01',
        address: '2 rue Haute',
        postalCode: '06670',
        city: 'Colomars',
        regime: 'CAF',
        resident: 'on',
        guardian1Civility: 'Mme',
        guardian1LastName: 'Roux',
        guardian1FirstName: 'Léa',
        guardian1Email: 'Lea.Roux@Exemple.fr',
        guardian2LastName: 'Roux',
        guardian2FirstName: 'Hugo',
      })
      .withCsrfToken()
      .loginAs(staff)
    response.assertStatus(200)
    assert.include(pageText(response), 'Comptes en attente d’activation créés : 1')
    const family = await Family.findByOrFail('reference', 'MAIN-01')
    const guardians = await Guardian.query().where('family_id', family.id).orderBy('position')
    assert.lengthOf(guardians, 2)
    const user = await User.findOrFail(guardians[0].userId!)
    assert.equal(user.state, 'pending')
    assert.equal(user.role, 'parent')
    assert.isNull(user.password)
    assert.equal(user.email, 'lea.roux@exemple.fr')
    assert.isNull(guardians[1].userId)

    const duplicate = await client.post('/gestion/familles').form({ reference: 'MAIN-01', regime: 'CAF', guardian1LastName: 'X', guardian1FirstName: 'Y' }).withCsrfToken().loginAs(staff).header('referer', '/gestion/familles/nouvelle')
    assert.include(pageText(duplicate), 'déjà celle d’une autre famille')

    const religious = await client
      .post(`/gestion/familles/${family.id}/enfants`)
      .form({ lastName: 'Roux', firstName: 'Nina', birthDate: '2018-02-03', dietNeeds: 'Halal, sans gluten' })
      .withCsrfToken()
      .loginAs(staff)
      .header('referer', `/gestion/familles/${family.id}/enfants/nouveau`)
    assert.include(pageText(religious), 'jamais une religion')
    await client.post(`/gestion/familles/${family.id}/enfants`).form({ lastName: 'Roux', firstName: 'Nina', birthDate: '2018-02-03', sex: 'F', dietNeeds: 'sans porc, sans gluten', pai: 'on' }).withCsrfToken().loginAs(staff)
    const child = await Child.query().where('family_id', family.id).firstOrFail()
    assert.deepEqual(child.dietNeeds, ['sans porc', 'sans gluten'])
    assert.isTrue(child.pai)
    await client.post(`/gestion/familles/${family.id}/enfants/${child.id}/modifier`).form({ reference: child.reference, lastName: 'Roux', firstName: 'Nina', birthDate: '2018-02-04', classLevel: 'CE1' }).withCsrfToken().loginAs(staff)
    await child.refresh()
    assert.equal(child.birthDate, '2018-02-04')
    const entries = await HistoryEntry.query().where('family_id', family.id).orderBy('id')
    const texts = entries.map((e) => e.text)
    assert.include(texts.at(-1)!, 'date de naissance : « 2018-02-03 » → « 2018-02-04 »')

    const edit = await client.post(`/gestion/familles/${family.id}/modifier`).form({ reference: 'MAIN-01', regime: 'MSA', city: 'Nice', guardian1LastName: 'Roux', guardian1FirstName: 'Léa', guardian1Email: 'lea.roux@exemple.fr' }).withCsrfToken().loginAs(staff)
    edit.assertStatus(200)
    await family.refresh()
    assert.equal(family.regime, 'MSA')
    assert.isFalse(family.resident)
    const remaining = await Guardian.query().where('family_id', family.id)
    assert.lengthOf(remaining, 1)
    const last = await HistoryEntry.query().where('family_id', family.id).orderBy('id', 'desc').firstOrFail()
    assert.include(last.text, 'responsable 2 retiré du dossier : Hugo Roux')
  })

  test("staff manage a family's authorized persons; other families' rows are 404", async ({ client, assert }) => {
    const staff = await makeStaff()
    const dupont = await makeFamily('Dupont')
    const martin = await makeFamily('Martin')
    const form = await client.get(`/gestion/familles/${dupont.family.id}/personnes-autorisees/nouvelle`).loginAs(staff)
    form.assertStatus(200)
    await client.post(`/gestion/familles/${dupont.family.id}/personnes-autorisees`).form({ lastName: 'Blanc', firstName: 'Rose', phone: '0600000009' }).withCsrfToken().loginAs(staff)
    const show = await client.get(`/gestion/familles/${dupont.family.id}`).loginAs(staff)
    assert.include(pageText(show), 'Rose Blanc')
    const rose = await AuthorizedPerson.query().where('family_id', dupont.family.id).where('first_name', 'Rose').firstOrFail()
    await client.post(`/gestion/familles/${dupont.family.id}/personnes-autorisees/${rose.id}/modifier`).form({ lastName: 'Blanc', firstName: 'Rose', phone: '0600000010' }).withCsrfToken().loginAs(staff)
    await client.post(`/gestion/familles/${dupont.family.id}/personnes-autorisees/${rose.id}/supprimer`).withCsrfToken().loginAs(staff)
    const audited = await db.from('audit_logs').where({ subject_type: 'family', subject_id: String(dupont.family.id) }).where('action', 'like', 'dossier.person.%').orderBy('id')
    assert.deepEqual(
      audited.map((row) => [row.action, row.actor_id]),
      ['create', 'update', 'delete'].map((verb) => [`dossier.person.${verb}`, staff.id])
    )
    const wrong = await client.get(`/gestion/familles/${dupont.family.id}/personnes-autorisees/${martin.person.id}/modifier`).loginAs(staff)
    wrong.assertStatus(404)
    const wrongChild = await client.get(`/gestion/familles/${dupont.family.id}/enfants/${martin.child.id}/modifier`).loginAs(staff)
    wrongChild.assertStatus(404)
  })

  test('staff mail the activation link to a pending guardian, from the form or the file', async ({ client, assert }) => {
    const staff = await makeStaff()
    const address = `activation-${Date.now()}@exemple.fr`
    await client
      .post('/gestion/familles')
      .form({ reference: `ACT-${Date.now()}`, regime: 'CAF', guardian1LastName: 'Blanc', guardian1FirstName: 'Inès', guardian1Email: address, sendActivation: 'on' })
      .withCsrfToken()
      .loginAs(staff)
    const guardian = await Guardian.query().where('email', address).preload('user').firstOrFail()
    assert.equal(guardian.user.state, 'pending')
    assert.lengthOf(await outboxMailsTo(address), 1)
    const again = await client.post(`/gestion/familles/${guardian.familyId}/responsables/${guardian.id}/activation`).withCsrfToken().loginAs(staff)
    assert.include(pageText(again), `Le lien d'activation a été envoyé à ${address}`)
    assert.lengthOf(await outboxMailsTo(address), 2)
    const other = await makeFamily('Autre')
    const wrong = await client.post(`/gestion/familles/${other.family.id}/responsables/${guardian.id}/activation`).withCsrfToken().loginAs(staff)
    wrong.assertStatus(404)
    const active = await client.post(`/gestion/familles/${other.family.id}/responsables/${other.guardian.id}/activation`).withCsrfToken().loginAs(staff)
    assert.include(pageText(active), "n'a pas de compte en attente d'activation")
  })
})
