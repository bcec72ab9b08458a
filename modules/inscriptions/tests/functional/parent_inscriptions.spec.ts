import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import Registration from '#modules/inscriptions/models/registration'
import registrationService from '#modules/inscriptions/services/registration_service'
import moduleRegistry from '#core/module_registry'
import { htmlText, isoInDays, isolateInscriptionTests, pageText, stateOf, statusOf } from '#modules/inscriptions/tests/helpers'
import { createActivity, createActivityType, createFamily, requestRegistration } from '#modules/inscriptions/tests/factories'
import { createUser } from '#tests/helpers/users'
import { withModulesOff } from '#tests/helpers/modules'
import { todayIso } from '#modules/inscriptions/services/calendar'
import { addDays } from '#core/calendar_day'

const LYA_AND_MAEL = [
  { firstName: 'Lya', birthDate: '2018-05-10' },
  { firstName: 'Mael', birthDate: '2019-02-01' },
]

test.group('inscriptions / parents', (group) => {
  isolateInscriptionTests(group)

  test('the list groups registrations by activity type, per child or all, with states in words', async ({ client, assert }) => {
    const type = await createActivityType('Accueil de loisirs')
    const empty = await createActivityType('Restauration scolaire')
    const { user, family, children } = await createFamily(LYA_AND_MAEL)
    const activity = await createActivity({ activityTypeId: type.id, name: 'Vacances', places: 0 })
    const staff = await createUser('staff')
    const lya = await requestRegistration({ family, user }, children[0], activity)
    await registrationService.validate(lya.id, staff)
    const mael = await requestRegistration({ family, user }, children[1], activity)
    await registrationService.refuse(mael.id, staff, 'Dossier incomplet')

    const all = await client.get('/inscriptions').loginAs(user)
    all.assertStatus(200)
    const page = htmlText(all.text())
    assert.include(page, 'LES INSCRIPTIONS DE MES ENFANTS')
    assert.include(page, 'ACCUEIL DE LOISIRS — 2 inscriptions/demandes')
    assert.include(page, "en liste d'attente (rang 1)")
    assert.include(page, 'refusée : Dossier incomplet')
    assert.include(page, "RESTAURATION SCOLAIRE — Pas d'inscriptions, pas de demandes")
    assert.include(page, "S'inscrire n'est pas réserver")
    assert.include(all.text(), `/inscriptions/demande?type=${empty.id}`)

    const onlyMael = await pageText(client.get(`/inscriptions?enfant=${children[1].id}`).loginAs(user))
    assert.include(onlyMael, 'ACCUEIL DE LOISIRS — 1 inscription/demande')
    assert.notInclude(onlyMael, "liste d'attente (rang 1)")
  })

  test('the request form lists only current or future activities that fit the child at some date', async ({ client, assert }) => {
    const type = await createActivityType('Accueil de loisirs')
    // Lya turns 3 in 20 days: an activity for 3-6 year olds is offered from her birthday on
    const birth = addDays(todayIso(), 20).replace(/^(\d{4})/, (year) => String(Number(year) - 3))
    const { user, children } = await createFamily([{ firstName: 'Lya', birthDate: birth }])
    await createActivity({ activityTypeId: type.id, name: 'Maternelle 3-6 ans', minAgeMonths: 36, maxAgeMonths: 71, endsOn: isoInDays(90) })
    await createActivity({ activityTypeId: type.id, name: 'Ados 11-17 ans', minAgeMonths: 132, maxAgeMonths: 215 })
    await createActivity({ activityTypeId: type.id, name: 'Été dernier', startsOn: isoInDays(-120), endsOn: isoInDays(-60) })
    await createActivity({ activityTypeId: type.id, name: 'Petite enfance courte', minAgeMonths: 36, endsOn: isoInDays(10) })

    const choose = await client.get('/inscriptions/demande').loginAs(user)
    choose.assertStatus(200)
    assert.include(htmlText(choose.text()), "choisissez le type d'activité puis la personne")

    const form = await client.get(`/inscriptions/demande?type=${type.id}&enfant=${children[0].id}`).loginAs(user)
    form.assertStatus(200)
    const page = htmlText(form.text())
    assert.include(page, "SAISIE D'UNE DEMANDE D'INSCRIPTION")
    assert.include(page, 'Les champs obligatoires sont suivis d')
    assert.include(page, 'Seules les activités en cours ou futures')
    assert.include(page, 'Maternelle 3-6 ans du')
    assert.include(page, 'Montant')
    assert.include(page, '8,00 €')
    assert.notInclude(page, 'Ados 11-17 ans')
    assert.notInclude(page, 'Été dernier')
    assert.notInclude(page, 'Petite enfance courte')
    assert.include(form.text(), `min="${addDays(todayIso(), 20)}"`)
    assert.equal(form.text().includes('/simulateur-tarifaire'), moduleRegistry.isEnabled('billing'))
  })

  test('a request is saved with its history line; a date before the child is of age is refused', async ({ client, assert }) => {
    const type = await createActivityType('Accueil de loisirs')
    const birth = addDays(todayIso(), 20).replace(/^(\d{4})/, (year) => String(Number(year) - 3))
    const { user, family, children } = await createFamily([{ firstName: 'Lya', birthDate: birth }])
    const activity = await createActivity({ activityTypeId: type.id, name: 'Vacances', minAgeMonths: 36, maxAgeMonths: 71, endsOn: isoInDays(90) })
    const form = {
      activityTypeId: type.id,
      childId: children[0].id,
      activityId: activity.id,
    }

    const tooEarly = await client
      .post('/inscriptions/demande')
      .form({ ...form, startDate: isoInDays(5) })
      .withCsrfToken()
      .loginAs(user)
      .redirects(0)
    tooEarly.assertStatus(302)
    tooEarly.assertHeader('location', `/inscriptions/demande?type=${type.id}&enfant=${children[0].id}`)
    tooEarly.assertFlashMessage('inputErrorsBag', {
      startDate: [
        `Choisissez une date entre le ${isoFr(addDays(todayIso(), 20))} et le ${isoFr(isoInDays(90))} : Lya a l'âge requis à partir du ${isoFr(addDays(todayIso(), 20))}.`,
      ],
    })
    assert.equal(await count(family.id), 0)

    const saved = await client
      .post('/inscriptions/demande')
      .form({ ...form, startDate: isoInDays(25) })
      .withCsrfToken()
      .loginAs(user)
      .redirects(0)
    saved.assertStatus(302)
    saved.assertHeader('location', `/inscriptions?enfant=${children[0].id}`)
    saved.assertFlashMessage(
      'alert.success',
      "La demande d'inscription de Lya à l'activité Vacances est enregistrée. Suite à la validation de la demande, vous pourrez réserver les jours sur le planning."
    )
    const registration = await Registration.query().where('family_id', family.id).firstOrFail()
    assert.equal(registration.state, 'requested')
    assert.equal(registration.startDate, isoInDays(25))
    const line = await db.from('family_history_entries').where('family_id', family.id).where('module', 'inscriptions').first()
    assert.equal(line.text, "Demande d'inscription à l'activité Vacances (Lya)")
  })

  test('a child already registered or requested cannot ask twice', async ({ client, assert }) => {
    const type = await createActivityType('Accueil de loisirs')
    const { user, family, children } = await createFamily()
    const activity = await createActivity({ activityTypeId: type.id, name: 'Mercredis' })
    const form = {
      activityTypeId: type.id,
      childId: children[0].id,
      activityId: activity.id,
      startDate: todayIso(),
    }
    await client.post('/inscriptions/demande').form(form).withCsrfToken().loginAs(user).redirects(0)
    const again = await client.post('/inscriptions/demande').form(form).withCsrfToken().loginAs(user).redirects(0)
    again.assertFlashMessage('inputErrorsBag', {
      activityId: ['Lya a déjà une demande en cours pour cette activité : une seule inscription par activité.'],
    })
    assert.equal(await count(family.id), 1)
    // the form no longer offers it and says why
    const page = await pageText(client.get(`/inscriptions/demande?type=${type.id}&enfant=${children[0].id}`).loginAs(user))
    assert.include(page, 'pas de seconde demande possible')
    assert.include(page, "Aucune activité de ce type n'est ouverte aux inscriptions pour Lya")
  })

  test("another family's child and registrations give 404; a parent has no access to the staff pages", async ({ client, assert }) => {
    const type = await createActivityType('Accueil de loisirs')
    const mine = await createFamily()
    const other = await createFamily([{ firstName: 'Zoé', birthDate: '2018-01-01' }])
    const activity = await createActivity({ activityTypeId: type.id })
    const theirs = await requestRegistration(other, other.children[0], activity)

    const ask = await client
      .post('/inscriptions/demande')
      .form({
        activityTypeId: type.id,
        childId: other.children[0].id,
        activityId: activity.id,
        startDate: todayIso(),
      })
      .withCsrfToken()
      .loginAs(mine.user)
    ask.assertStatus(404)
    assert.equal(await statusOf(client.get(`/inscriptions/demande?type=${type.id}&enfant=${other.children[0].id}`).loginAs(mine.user)), 404)
    assert.equal(await statusOf(client.get(`/inscriptions/${theirs.id}/annuler`).loginAs(mine.user)), 404)
    assert.equal(await statusOf(client.post(`/inscriptions/${theirs.id}/annuler`).withCsrfToken().loginAs(mine.user)), 404)
    const list = await client.get('/inscriptions').loginAs(mine.user)
    assert.notInclude(list.text(), 'Zoé')
    assert.equal(await stateOf(theirs.id), 'requested')
    assert.equal(await count(mine.family.id), 0)
    assert.equal(await statusOf(client.get('/gestion/inscriptions').loginAs(mine.user)), 403)
    assert.equal(await statusOf(client.post(`/gestion/inscriptions/${theirs.id}/valider`).withCsrfToken().loginAs(mine.user)), 403)
  })

  test('a parent withdraws a request, cancels within the deadline, and past it is told to write to the service', async ({ client, assert }) => {
    const type = await createActivityType('Accueil de loisirs')
    const staff = await createUser('staff')
    const { user, family, children } = await createFamily(LYA_AND_MAEL)
    const later = await createActivity({ activityTypeId: type.id, name: 'Été', startsOn: isoInDays(30), endsOn: isoInDays(60), cancellationDeadlineDays: 15 })
    const soon = await createActivity({ activityTypeId: type.id, name: 'Toussaint', startsOn: isoInDays(1), endsOn: isoInDays(5), cancellationDeadlineDays: 15 })
    const early = await requestRegistration({ family, user }, children[0], later, isoInDays(30))
    await registrationService.validate(early.id, staff)
    const tooLate = await requestRegistration({ family, user }, children[0], soon, isoInDays(1))
    await registrationService.validate(tooLate.id, staff)
    const pending = await requestRegistration({ family, user }, children[1], soon, isoInDays(1))

    const confirm = await pageText(client.get(`/inscriptions/${early.id}/annuler`).loginAs(user))
    assert.include(confirm, "ANNULER L'INSCRIPTION")
    const cancelled = await client.post(`/inscriptions/${early.id}/annuler`).withCsrfToken().loginAs(user).redirects(0)
    cancelled.assertFlashMessage('alert.success', "L'inscription est annulée (Lya — Été).")
    assert.equal(await stateOf(early.id), 'cancelled')
    await later.refresh()
    assert.equal(later.registeredCount, 0)

    const withdraw = await client.post(`/inscriptions/${pending.id}/annuler`).withCsrfToken().loginAs(user).redirects(0)
    withdraw.assertFlashMessage('alert.success', "La demande d'inscription est retirée (Mael — Toussaint).")

    const explain = await client.get(`/inscriptions/${tooLate.id}/annuler`).loginAs(user)
    const explained = htmlText(explain.text())
    assert.include(explained, "Délai d'annulation dépassé")
    assert.include(explained, '15 jours')
    assert.equal(explain.text().includes('/messagerie/nouveau?theme='), moduleRegistry.isEnabled('messaging'))
    assert.equal(explained.includes('Écrire au service (thème « Demande de réservation ou annulation (hors capacité ou hors délai) »)'), moduleRegistry.isEnabled('messaging'))
    const withoutMessaging = await withModulesOff(['messaging'], async () => (await client.get(`/inscriptions/${tooLate.id}/annuler`).loginAs(user)).text())
    assert.notInclude(withoutMessaging, '/messagerie')
    assert.include(htmlText(withoutMessaging), 'Adressez-vous au service qui gère vos inscriptions (coordonnées en bas de page).')
    const refused = await client.post(`/inscriptions/${tooLate.id}/annuler`).withCsrfToken().loginAs(user).redirects(0)
    refused.assertFlashMessage(
      'alert.error',
      "Le délai d'annulation en ligne est dépassé : le règlement intérieur demande 15 jours avant la date concernée. Adressez votre demande au service par la messagerie."
    )
    assert.equal(await stateOf(tooLate.id), 'validated')
  })

  test('the home page has the Inscription tile, with the requests awaiting an answer, and the menu entry', async ({ client, assert }) => {
    const { user, family, children } = await createFamily()
    const home = await client.get('/accueil').loginAs(user)
    home.assertStatus(200)
    assert.include(home.text(), 'Visualiser les inscriptions en cours ou inscrire à de nouvelles activités')
    assert.include(home.text(), 'href="/inscriptions"')
    assert.notInclude(home.text(), 'en attente de réponse')
    const activity = await createActivity()
    await requestRegistration({ family, user }, children[0], activity)
    assert.include(await pageText(client.get('/accueil').loginAs(user)), '1 demande en attente de réponse')
  })
})

async function count(familyId: number) {
  const row = await db.from('registrations').where('family_id', familyId).count('* as total').first()
  return Number(row.total)
}

function isoFr(iso: string) {
  const [y, m, d] = iso.split('-')
  return `${d}/${m}/${y}`
}
