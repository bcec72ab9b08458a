import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import Child from '#modules/dossier/models/child'
import CustodyArrangement from '#modules/dossier/models/custody_arrangement'
import { makeFamily, makeStaff, pageText } from '#modules/dossier/tests/fixtures'

const custodyPath = (familyId: number, childId: number) => `/gestion/familles/${familyId}/enfants/${childId}/garde-alternee`

/** The sentence shown beside a field: the error paragraph following its label. */
function fieldError(html: string, name: string): string | null {
  const match = new RegExp(`id="field-${name}-error"[^>]*>(.*?)</p>`, 's').exec(html)
  return match ? match[1].replace(/<[^>]+>/g, '').replace(/&#39;|&#x27;/g, "'").trim() : null
}

test.group('Dossier: shared custody set up by the staff', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the form refuses bad input with a French sentence beside each field and keeps what was typed', async ({ client, assert }) => {
    const staff = await makeStaff()
    const dupont = await makeFamily('Dupont')
    const path = custodyPath(dupont.family.id, dupont.child.id)
    const page = await client.get(path).loginAs(staff)
    page.assertStatus(200)
    assert.include(pageText(page), "Mettre en place une garde alternée")

    const empty = await client.post(path).form({}).withCsrfToken().loginAs(staff).header('referer', path)
    const html = empty.text()
    assert.equal(fieldError(html, 'otherFamilyReference'), "Erreur : Indiquez la référence du dossier de l'autre foyer.")
    assert.equal(fieldError(html, 'evenWeeks'), 'Erreur : Choisissez le foyer des semaines paires.')
    assert.equal(fieldError(html, 'startsOn'), 'Erreur : Indiquez la date de début de la garde alternée.')

    const unknown = await client.post(path).form({ otherFamilyReference: 'NULLE-PART', evenWeeks: 'child_family', startsOn: '2026-09-07' }).withCsrfToken().loginAs(staff).header('referer', path)
    assert.match(fieldError(unknown.text(), 'otherFamilyReference')!, /Aucun dossier n'a cette référence/)
    assert.include(unknown.text(), 'value="NULLE-PART"')

    const itself = await client.post(path).form({ otherFamilyReference: dupont.family.reference, evenWeeks: 'child_family', startsOn: '2026-09-31' }).withCsrfToken().loginAs(staff).header('referer', path)
    assert.match(fieldError(itself.text(), 'startsOn')!, /Cette date n'existe pas/)
    const same = await client.post(path).form({ otherFamilyReference: dupont.family.reference, evenWeeks: 'child_family', startsOn: '2026-09-07' }).withCsrfToken().loginAs(staff).header('referer', path)
    assert.match(fieldError(same.text(), 'otherFamilyReference')!, /un autre dossier que celui de l'enfant/)
    assert.equal(await CustodyArrangement.query().where('child_id', dupont.child.id).count('* as n').first().then((row) => Number(row!.$extras.n)), 0)
  })

  test('both households see the arrangement and a history line; the other household sees only the shared child', async ({ client, assert }) => {
    const staff = await makeStaff()
    const dupont = await makeFamily('Dupont')
    const sibling = await Child.create({ familyId: dupont.family.id, reference: 'E2', firstName: 'Noé', lastName: 'Dupont', birthDate: '2015-01-01', sex: 'M', dietNeeds: [], pai: false, vaccinationsUpToDate: true, imageRights: false })
    const martin = await makeFamily('Martin')
    const third = await makeFamily('Tiers')
    const path = custodyPath(dupont.family.id, dupont.child.id)

    const saved = await client.post(path).form({ otherFamilyReference: martin.family.reference, evenWeeks: 'other_family', startsOn: '2026-09-07' }).withCsrfToken().loginAs(staff).header('referer', path)
    saved.assertStatus(200)
    assert.include(pageText(saved), `La garde alternée de EnfantDupont avec le dossier ${martin.family.reference} est enregistrée.`.replace('de EnfantDupont', "d'EnfantDupont"))
    const arrangement = await CustodyArrangement.query().where('child_id', dupont.child.id).firstOrFail()
    assert.deepInclude(arrangement.serialize(), { otherFamilyId: martin.family.id, evenWeeksFamilyId: martin.family.id, startsOn: '2026-09-07', endsOn: null })
    assert.equal(dupont.child.familyId, dupont.family.id, 'the child stays in its family')

    const twice = await client.post(path).form({ otherFamilyReference: third.family.reference, evenWeeks: 'other_family', startsOn: '2026-10-05' }).withCsrfToken().loginAs(staff).header('referer', path)
    assert.include(pageText(twice), "Une garde alternée d'EnfantDupont est déjà en place : terminez-la d'abord.")
    assert.equal(await CustodyArrangement.query().where('child_id', dupont.child.id).count('* as n').first().then((row) => Number(row!.$extras.n)), 1)

    for (const familyId of [dupont.family.id, martin.family.id]) {
      const lines = await db.from('family_history_entries').where('family_id', familyId).where('kind', 'custody-started')
      assert.lengthOf(lines, 1)
    }
    const staffFile = await client.get(`/gestion/familles/${dupont.family.id}`).loginAs(staff)
    assert.include(pageText(staffFile), `Garde alternée avec le dossier ${martin.family.reference} à partir du 07/09/2026 : ce foyer a les semaines impaires`)
    const otherFile = await client.get(`/gestion/familles/${martin.family.id}`).loginAs(staff)
    assert.include(pageText(otherFile), 'En garde alternée dans ce foyer : EnfantDupont Dupont')

    const own = pageText(await client.get('/dossier').loginAs(dupont.user))
    assert.include(own, "Garde alternée à partir du 07/09/2026 : votre foyer a les semaines impaires, l'autre foyer les semaines paires.")
    assert.notInclude(own, martin.family.reference)
    const other = pageText(await client.get('/dossier').loginAs(martin.user))
    assert.include(other, 'EnfantDupont Dupont, garde alternée à partir du 07/09/2026 : votre foyer a les semaines paires.')
    for (const secret of [sibling.firstName, 'Alice Dupont', 'VoisinDupont', 'vaccins-Dupont.pdf', dupont.family.reference]) assert.notInclude(other, secret)
    const otherHistory = pageText(await client.get('/dossier/demarches').loginAs(martin.user))
    assert.include(otherHistory, "Garde alternée d'EnfantDupont à partir du 07/09/2026 : votre foyer a les semaines paires")
    assert.notInclude(pageText(await client.get('/dossier').loginAs(third.user)), 'EnfantDupont')
    // the other household gets none of the first family's documents
    const download = await client.get(`/dossier/documents/${dupont.document.id}/telecharger`).loginAs(martin.user)
    assert.oneOf(download.status(), [403, 404])
  })

  test('staff end it with a last day not before its start; parents and other families cannot touch it', async ({ client, assert }) => {
    const staff = await makeStaff()
    const dupont = await makeFamily('Dupont')
    const martin = await makeFamily('Martin')
    const path = custodyPath(dupont.family.id, dupont.child.id)
    await client.post(path).form({ otherFamilyReference: martin.family.reference, evenWeeks: 'child_family', startsOn: '2026-09-07' }).withCsrfToken().loginAs(staff)

    for (const user of [dupont.user, martin.user]) {
      const setUp = await client.post(path).form({ otherFamilyReference: martin.family.reference, evenWeeks: 'child_family', startsOn: '2026-09-07' }).withCsrfToken().loginAs(user).redirects(0)
      const end = await client.post(`${path}/fin`).form({ endsOn: '2026-09-20' }).withCsrfToken().loginAs(user).redirects(0)
      for (const response of [setUp, end]) assert.notEqual(response.status(), 200)
    }
    assert.isNull((await CustodyArrangement.query().where('child_id', dupont.child.id).firstOrFail()).endsOn)

    const early = await client.post(`${path}/fin`).form({ endsOn: '2026-09-01' }).withCsrfToken().loginAs(staff).header('referer', path)
    assert.equal(fieldError(early.text(), 'endsOn'), 'Erreur : La fin ne peut pas précéder le début de la garde alternée (07/09/2026).')
    const ended = await client.post(`${path}/fin`).form({ endsOn: '2026-11-29' }).withCsrfToken().loginAs(staff).header('referer', path)
    assert.include(pageText(ended), "La garde alternée d'EnfantDupont prend fin le 29/11/2026.")
    assert.equal((await CustodyArrangement.query().where('child_id', dupont.child.id).firstOrFail()).endsOn, '2026-11-29')
    for (const familyId of [dupont.family.id, martin.family.id]) {
      const lines = await db.from('family_history_entries').where('family_id', familyId).where('kind', 'custody-ended')
      assert.deepEqual(lines.map((line) => line.text), ["Fin de la garde alternée d'EnfantDupont le 29/11/2026"])
    }
    // a child of another family in the URL: 404
    const foreign = await client.get(custodyPath(dupont.family.id, martin.child.id)).loginAs(staff)
    foreign.assertStatus(404)
  })
})
