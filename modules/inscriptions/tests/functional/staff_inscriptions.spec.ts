import { test } from '@japa/runner'
import emitter from '@adonisjs/core/services/emitter'
import mail from '@adonisjs/mail/services/main'
import db from '@adonisjs/lucid/services/db'
import Registration from '#modules/inscriptions/models/registration'
import Activity from '#modules/inscriptions/models/activity'
import ActivityType from '#modules/inscriptions/models/activity_type'
import { Child } from '#modules/dossier/index'
import registrationService from '#modules/inscriptions/services/registration_service'
import { htmlText, INSCRIPTION_EVENTS, isoInDays, isolateInscriptionTests, pageText, stateOf, statusOf } from '#modules/inscriptions/tests/helpers'
import { createActivity, createActivityType, createFamily, createValidatedRegistration, familyRequesting } from '#modules/inscriptions/tests/factories'
import { createUser } from '#tests/helpers/users'
import { submitForm } from '#tests/helpers/requests'
import { todayIso } from '#modules/inscriptions/services/calendar'
import mailQueue from '#services/mail_queue'

async function requestsOn(activity: Activity, names: string[]) {
  const created = []
  for (const name of names) created.push(await familyRequesting(activity, { firstName: name, birthDate: '2018-05-10' }))
  return created
}

test.group('inscriptions / staff', (group) => {
  isolateInscriptionTests(group)

  test('the queue lists requests in arrival order with filters by activity, state and date', async ({ client, assert }) => {
    const staff = await createUser('staff')
    const a = await createActivity({ name: 'Mercredis' })
    const b = await createActivity({ name: 'Vacances' })
    await requestsOn(a, ['Ana', 'Ben'])
    await requestsOn(b, ['Cyril'])
    const queue = await client.get('/gestion/inscriptions').loginAs(staff)
    queue.assertStatus(200)
    const all = htmlText(queue.text())
    assert.isBelow(all.indexOf('Ana'), all.indexOf('Ben'))
    assert.include(all, 'Cyril')
    const onlyB = await pageText(client.get(`/gestion/inscriptions?activite=${b.id}&etat=requested`).loginAs(staff))
    assert.include(onlyB, 'Cyril')
    assert.notInclude(onlyB, 'Ana ')
    const validated = await pageText(client.get('/gestion/inscriptions?etat=validated').loginAs(staff))
    assert.include(validated, 'Aucune demande ne correspond')
    const yesterday = await pageText(client.get(`/gestion/inscriptions?etat=tous&date=${isoInDays(-1)}`).loginAs(staff))
    assert.include(yesterday, 'Aucune demande ne correspond')
    const today = await pageText(client.get(`/gestion/inscriptions?etat=tous&date=${todayIso()}`).loginAs(staff))
    assert.include(today, 'Cyril')
  })

  test('validating one by one tells the family by mail and event and writes the agent in the history', async ({ client, assert }) => {
    const events = emitter.fake([...INSCRIPTION_EVENTS])
    const { messages } = mail.fake()
    const staff = await createUser('staff', { fullName: 'Agent Dupuis' })
    const activity = await createActivity({ name: 'Vacances', places: 1 })
    const [lya, mael] = await requestsOn(activity, ['Lya', 'Mael'])
    const first = await client.post(`/gestion/inscriptions/${lya.registration.id}/valider`).withCsrfToken().loginAs(staff).redirects(0)
    first.assertFlashMessage('alert.success', 'Inscription validée : Lya — Vacances.')
    const second = await client.post(`/gestion/inscriptions/${mael.registration.id}/valider`).withCsrfToken().loginAs(staff).redirects(0)
    second.assertFlashMessage('alert.success', "L'activité Vacances est complète : Mael est en liste d'attente.")
    events.assertEmitted('inscription:validated', ({ data }) => data.registrationId === lya.registration.id)
    await mailQueue.drain()
    assert.lengthOf(
      messages.sent((m) => m.hasTo(lya.user.email!) && m.toJSON().message.subject!.startsWith('Inscription validée : Vacances (Lya)')),
      1
    )
    const line = await db.from('family_history_entries').where('family_id', lya.family.id).where('kind', 'inscription-validated').first()
    assert.equal(line.text, 'Inscription validée par Agent Dupuis : activité Vacances (Lya)')
    const audit = await db
      .from('audit_logs')
      .where('action', 'inscriptions.registration.validated')
      .where('subject_id', String(lya.registration.id))
      .first()
    assert.equal(audit.actor_name, 'Agent Dupuis')

    // the parent now reads "validée" and is pointed to the planning
    const page = await pageText(client.get('/inscriptions').loginAs(lya.user))
    assert.include(page, 'validée')
  })

  test('a refusal needs a reason; the family reads it', async ({ client, assert }) => {
    const { messages } = mail.fake()
    const staff = await createUser('staff')
    const activity = await createActivity({ name: 'Vacances' })
    const [lya] = await requestsOn(activity, ['Lya'])
    const form = await client.get(`/gestion/inscriptions/${lya.registration.id}/refuser`).loginAs(staff)
    form.assertStatus(200)
    const refuse = (reason: string) => submitForm(client, staff, `/gestion/inscriptions/${lya.registration.id}/refuser`, { reason })
    const empty = await refuse('')
    empty.assertStatus(302)
    empty.assertFlashMessage('inputErrorsBag', {
      reason: ['Ce champ est obligatoire.'],
    })
    assert.equal(await stateOf(lya.registration.id), 'requested')
    const done = await refuse('Plus de place en maternelle')
    done.assertStatus(302)
    const refused = await Registration.findOrFail(lya.registration.id)
    assert.equal(refused.state, 'refused')
    assert.equal(refused.refusalReason, 'Plus de place en maternelle')
    await mailQueue.drain()
    assert.lengthOf(
      messages.sent((m) => m.hasTo(lya.user.email!) && m.toJSON().message.subject!.startsWith("Demande d'inscription refusée")),
      1
    )
    assert.include(await pageText(client.get('/inscriptions').loginAs(lya.user)), 'refusée : Plus de place en maternelle')
  })

  test('bulk validation serves arrival order: the cap is kept, the rest waits in order; bulk refusal needs a reason', async ({ client, assert }) => {
    const staff = await createUser('staff')
    const activity = await createActivity({ name: 'Vacances', places: 2 })
    const requests = await requestsOn(activity, ['Ana', 'Ben', 'Cyril', 'Dora'])
    const ids = requests.map((r) => r.registration.id).reverse()
    const noReason = await submitForm(client, staff, '/gestion/inscriptions/decisions', { ids: ids.slice(0, 1), decision: 'refuse', reason: '' })
    noReason.assertFlashMessage('inputErrorsBag', {
      reason: ['Le motif du refus est obligatoire pour refuser des demandes.'],
    })
    const response = await submitForm(client, staff, '/gestion/inscriptions/decisions', { ids, decision: 'validate' })
    response.assertFlashMessage('alert.success', "Demandes traitées : 2 validées, 2 en liste d'attente.")
    const rows = await Registration.query().whereIn('id', ids).preload('child').orderBy('id')
    assert.deepEqual(
      rows.map((r) => [r.child.firstName, r.state, r.waitingRank]),
      [
        ['Ana', 'validated', null],
        ['Ben', 'validated', null],
        ['Cyril', 'waiting', 1],
        ['Dora', 'waiting', 2],
      ]
    )
    await activity.refresh()
    assert.equal(activity.registeredCount, 2)
  })

  test('the staff cancel a validated registration: the first in line is promoted and told; the list can be reordered with a logged reason', async ({
    client,
    assert,
  }) => {
    const events = emitter.fake([...INSCRIPTION_EVENTS])
    const { messages } = mail.fake()
    const staff = await createUser('staff', { fullName: 'Agent Martin' })
    const activity = await createActivity({ name: 'Vacances', places: 1 })
    const requests = await requestsOn(activity, ['Ana', 'Ben', 'Cyril', 'Dora'])
    for (const request of requests) await registrationService.validate(request.registration.id, staff)

    const reorder = await submitForm(client, staff, `/gestion/inscriptions/${requests[3].registration.id}/rang`, { rank: 1, reason: 'Fratrie déjà accueillie' })
    reorder.assertStatus(302)
    const log = await db.from('audit_logs').where('action', 'inscriptions.waiting_list.reordered').first()
    assert.include(log.details, 'Fratrie déjà accueillie')
    assert.equal(log.actor_name, 'Agent Martin')

    const page = await pageText(client.get(`/gestion/inscriptions/activites/${activity.id}`).loginAs(staff))
    assert.isBelow(page.indexOf('Dora'), page.indexOf('Ben'))

    const confirm = await pageText(client.get(`/gestion/inscriptions/${requests[0].registration.id}/annuler`).loginAs(staff))
    assert.include(confirm, "La place libérée ira au premier de la liste d'attente")
    await client.post(`/gestion/inscriptions/${requests[0].registration.id}/annuler`).withCsrfToken().loginAs(staff).redirects(0)
    assert.equal(await stateOf(requests[0].registration.id), 'cancelled')
    const dora = await Registration.findOrFail(requests[3].registration.id)
    assert.equal(dora.state, 'validated')
    const waiting = await registrationService.waitingList(activity.id)
    assert.deepEqual(
      waiting.map((r) => [r.child.firstName, r.waitingRank]),
      [
        ['Ben', 1],
        ['Cyril', 2],
      ]
    )
    events.assertEmitted('inscription:promoted', ({ data }) => data.registrationId === dora.id)
    await mailQueue.drain()
    assert.lengthOf(
      messages.sent((m) => m.hasTo(requests[3].user.email!) && m.toJSON().message.subject!.startsWith("Une place s'est libérée")),
      1
    )
    await mailQueue.drain()
    assert.lengthOf(
      messages.sent((m) => m.hasTo(requests[0].user.email!) && m.toJSON().message.subject!.startsWith('Inscription annulée par le service')),
      1
    )
  })

  test('activity types and activities are created and edited; raising the cap promotes the waiting list', async ({ client, assert }) => {
    const staff = await createUser('staff')
    const created = await submitForm(client, staff, '/gestion/inscriptions/types', { name: 'Accueil périscolaire', position: 1 })
    created.assertStatus(302)
    const type = await ActivityType.findByOrFail('name', 'Accueil périscolaire')
    const duplicate = await submitForm(client, staff, '/gestion/inscriptions/types', { name: 'accueil périscolaire' })
    duplicate.assertFlashMessage('inputErrorsBag', {
      name: ["Un type d'activité porte déjà ce nom."],
    })

    const form = {
      activityTypeId: type.id,
      name: 'Accueil du matin',
      startsOn: todayIso(),
      endsOn: isoInDays(200),
      minAgeMonths: 36,
      maxAgeMonths: 143,
      schoolLevels: 'ps, MS , gs',
      places: 1,
      structureName: 'École des Pins',
      registrationOpensOn: isoInDays(-10),
      registrationClosesOn: isoInDays(100),
      fee: '8,00',
      displayedAmount: '1,50',
      autoAccept: '1',
      cancellationDeadlineDays: 2,
      requiredDocuments: 'Attestation d’assurance\nFiche sanitaire',
      weekdays: ['1', '2', '4', '5'],
      unitLabel: 'matin',
    }
    const bad = await submitForm(client, staff, '/gestion/inscriptions/activites', { ...form, endsOn: isoInDays(-1), weekdays: [] })
    bad.assertStatus(302)
    assert.equal(
      await Activity.query()
        .where('name', 'Accueil du matin')
        .count('* as total')
        .first()
        .then((r) => Number(r!.$extras.total)),
      0
    )

    const saved = await client.post('/gestion/inscriptions/activites').form(form).withCsrfToken().loginAs(staff).redirects(0)
    saved.assertStatus(302)
    const activity = await Activity.findByOrFail('name', 'Accueil du matin')
    assert.deepEqual(activity.weekdays, [1, 2, 4, 5])
    assert.deepEqual(activity.schoolLevels, ['PS', 'MS', 'GS'])
    assert.deepEqual(activity.requiredDocuments, ['Attestation d’assurance', 'Fiche sanitaire'])
    assert.equal(activity.feeCents, 800)
    assert.equal(activity.displayedAmountCents, 150)
    assert.isTrue(activity.autoAccept)
    assert.equal(activity.places, 1)
    assert.equal(activity.registrationClosesAt!.setZone('Europe/Paris').toISODate(), isoInDays(100))

    const edit = await client.get(`/gestion/inscriptions/activites/${activity.id}/modifier`).loginAs(staff)
    edit.assertStatus(200)
    assert.include(edit.text(), 'value="8,00"')

    const requests = await requestsOn(activity, ['Ana', 'Ben'])
    assert.equal(await stateOf(requests[1].registration.id), 'waiting')
    const lower = await submitForm(client, staff, `/gestion/inscriptions/activites/${activity.id}`, { ...form, places: 0 })
    lower.assertFlashMessage('inputErrorsBag', {
      places: ['Il y a déjà 1 inscription validée : le nombre de places ne peut pas être inférieur.'],
    })
    const raise = await submitForm(client, staff, `/gestion/inscriptions/activites/${activity.id}`, { ...form, places: 2 })
    raise.assertStatus(302)
    assert.equal(await stateOf(requests[1].registration.id), 'validated')

    const inUse = await client.post(`/gestion/inscriptions/types/${type.id}/supprimer`).withCsrfToken().loginAs(staff).redirects(0)
    inUse.assertFlashMessage(
      'alert.error',
      "Le type « Accueil périscolaire » a des activités : supprimez-les ou rattachez-les à un autre type d'abord."
    )
    for (const url of [
      '/gestion/inscriptions/types',
      '/gestion/inscriptions/activites',
      '/gestion/inscriptions/activites/nouvelle',
      `/gestion/inscriptions/types/${type.id}/modifier`,
    ]) {
      assert.equal(await statusOf(client.get(url).loginAs(staff)), 200)
    }
  })

  test('the CSV export is for French Excel and neutralises formulas (=, +, -, @)', async ({ client, assert }) => {
    const staff = await createUser('staff')
    const type = await createActivityType()
    const activity = await createActivity({
      activityTypeId: type.id,
      name: 'Vacances été',
    })
    const names = ['=HYPERLINK("x")', '+33 6', '-2+3', '@SUM(A1)']
    const requests = await requestsOn(activity, names)
    await Child.query().where('id', requests[0].child.id).update({ last_name: 'Dupont; "le grand"' })
    const response = await client.get(`/gestion/inscriptions/activites/${activity.id}/export.csv`).loginAs(staff)
    response.assertStatus(200)
    response.assertHeader('content-type', 'text/csv; charset=utf-8')
    assert.include(response.header('content-disposition'), 'inscriptions-vacances-ete.csv')
    const body = response.text()
    assert.isTrue(body.startsWith('\ufeffNom;Prénom;'))
    assert.include(body, `;"'=HYPERLINK(""x"")";`)
    assert.include(body, ";'+33 6;")
    assert.include(body, ";'-2+3;")
    assert.include(body, ";'@SUM(A1);")
    assert.include(body, '"Dupont; ""le grand"""')
    assert.include(body, '\r\n')
    assert.notMatch(body, /;[=+\-@]/)
  })
  test('an activity with 120 registrations: its page goes 50 at a time, its CSV carries all 120 in order', async ({ client, assert }) => {
    const staff = await createUser('staff')
    const activity = await createActivity({ activityTypeId: (await createActivityType()).id, name: 'Cantine des Écoles' })
    const { family, children } = await createFamily(Array.from({ length: 120 }, (_, index) => ({ firstName: `Enfant${String(index + 1).padStart(3, '0')}`, birthDate: '2017-03-01' })))
    for (const child of children) await createValidatedRegistration(activity, family.id, child.id)
    const rowsOf = (html: string) => [...html.matchAll(/data-label="Enfant">(Enfant\d+) /g)].map((match) => match[1])

    const first = await client.get(`/gestion/inscriptions/activites/${activity.id}`).loginAs(staff)
    first.assertStatus(200)
    assert.include(first.text(), 'Inscriptions et demandes (120)')
    assert.deepEqual(rowsOf(first.text()), children.slice(0, 50).map((child) => child.firstName))
    const third = await client.get(`/gestion/inscriptions/activites/${activity.id}`).qs({ page: 3 }).loginAs(staff)
    assert.deepEqual(rowsOf(third.text()), children.slice(100).map((child) => child.firstName))
    assert.notInclude(third.text(), "SUPPRIMER L'ACTIVITÉ")

    const csv = await client.get(`/gestion/inscriptions/activites/${activity.id}/export.csv`).loginAs(staff)
    const lines = csv.text().trim().split('\r\n').slice(1)
    assert.deepEqual(lines.map((line) => line.split(';')[1]), children.map((child) => child.firstName))
  })
})
