import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { createUser } from '#tests/helpers/users'
import { withModulesOff } from '#tests/helpers/modules'
import moduleRegistry from '#core/module_registry'
import bookingService from '#modules/planning/services/booking_service'
import Booking from '#modules/planning/models/booking'
import { createActivity, createDay, createDays, createFamily, dayCounts, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'
import { createValidatedRegistration } from '#modules/inscriptions/tests/factories'
import { sendBasket } from '#modules/planning/tests/helpers'

test.group('Planning pages (parents)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  async function setup() {
    const activity = await createActivity({ name: 'Vacances' })
    const { family, user, children } = await registeredFamily(activity, { children: [{ firstName: 'Lya', birthDate: '2017-03-10' }] })
    const days = await createDays(activity, dayFromToday(20), 4)
    return { activity, family, user, child: children[0], days }
  }

  test('the month view shows each day as a labelled checkbox, the legend in text and the basket', async ({ client, assert }) => {
    const { user, days } = await setup()
    const response = await client.get(`/planning?vue=mois&date=${days[0].day}`).loginAs(user)
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, '★</span> <strong>Lya</strong> — Inscriptions : Vacances')
    for (const label of ['MENSUEL', 'QUINZAINE', 'SEMAINE', 'RÉCAPITULATIF', "Aujourd'hui", 'Légende', 'MODIFICATION EN COURS', 'VALIDER ET TERMINER', 'QUITTER']) {
      assert.include(html, label)
    }
    assert.include(html, '0 réservation</span> en attente')
    for (const day of days) {
      assert.match(html, new RegExp(`<input type="checkbox" id="jour-\\d+-${day.day}" name="selected\\[\\]" value="\\d+-${day.id}"`))
    }
    assert.include(html, `Lya, Vacances, ${DateTime.fromISO(days[0].day).setLocale('fr').toFormat('cccc d LLLL yyyy')} : `)
    assert.include(html, 'nonce=')
    assert.match(html, /src="\/js\/planning_basket\.[0-9a-f]{10}\.js"/)
    const css = await client.get('/planning/planning.css')
    css.assertStatus(200)
    assert.include(css.header('content-type'), 'text/css')
    assert.include(css.text(), '.calendar__days')
  })

  test('a bookable day says its places left, « Dernières places » at 3 or fewer; RÉCAPITULATIF counts what is pending', async ({ client, assert }) => {
    const { user, child, days, family } = await setup()
    const few = await createDay({ id: days[0].activityId }, DateTime.fromISO(days[3].day).plus({ days: 1 }).toISODate()!, { room: 20, under6: 5, over6: 3 })
    await bookingService.book(family.id, child.id, days[1].id, { as: 'parent', actor: user })
    const html = (await client.get(`/planning?vue=mois&date=${days[0].day}`).loginAs(user)).text()
    const labelOf = (dayId: number) => new RegExp(`<label for="jour-${child.id}-[^"]+"><span class="visually-hidden">[^<]*</span>([\\s\\S]*?)</label>`).exec(html.slice(html.indexOf(`value="${child.id}-${dayId}"`)))?.[1] ?? ''
    // createDays gives 5 places per age group: Lya (6 and over) has 5 on a free day.
    assert.include(labelOf(days[0].id), '<span class="cal-day__places">5 places</span>')
    assert.include(labelOf(few.id), '<span class="cal-day__places">Dernières places</span>')
    assert.notInclude(labelOf(days[1].id), 'cal-day__places')
    assert.match(html, />RÉCAPITULATIF\s*<\/a>/)

    const shown = days.map((day) => `${child.id}-${day.id}`)
    const preview = await sendBasket(client, user, { date: days[0].day, action: 'preview', shown, selected: [shown[0], shown[2]] })
    assert.match(preview.text(), /RÉCAPITULATIF\s+\(3<span class="visually-hidden"> modifications en attente<\/span>\)/)
  })

  test('the basket without JavaScript: ticks book, unticks cancel, each day reported', async ({ client, assert }) => {
    const { user, child, days, family } = await setup()
    await bookingService.book(family.id, child.id, days[3].id, { as: 'parent', actor: user })
    const shown = days.map((day) => `${child.id}-${day.id}`)
    const preview = await sendBasket(client, user, { date: days[0].day, action: 'preview', shown, selected: shown.slice(0, 3) })
    preview.assertStatus(200)
    assert.include(preview.text(), '3 réservations</span> en attente')
    assert.include(preview.text(), '1 annulation</span> en attente')
    assert.lengthOf(await db.from('planning_bookings').where('family_id', family.id), 1)

    const response = await sendBasket(client, user, { date: days[0].day, action: 'apply', shown, selected: shown.slice(0, 3) })
    response.assertStatus(200)
    const rows = await db.from('planning_bookings').where('family_id', family.id).orderBy('day')
    assert.deepEqual(
      rows.map((row) => row.activity_day_id),
      days.slice(0, 3).map((day) => day.id)
    )
    assert.include(response.text(), '4 modifications enregistrées')
    assert.match(response.text(), /Annulation — Vacances du \d{2}\/\d{2}\/\d{4} \(Lya\) : annulé\./)
  })

  test('a refused day is reported with its reason and the waiting list is offered', async ({ client, assert }) => {
    const { user, child, days, family, activity } = await setup()
    await db.from('activity_days').where('id', days[0].id).update({ capacity_over6: 0 })
    await registeredFamily(activity)
    const response = await sendBasket(client, user, { date: days[0].day, action: 'apply', shown: [`${child.id}-${days[0].id}`], selected: [`${child.id}-${days[0].id}`] })
    assert.include(response.text(), '1 modification refusée')
    assert.include(response.text(), 'complet')
    assert.include(response.text(), "Demander une place en liste d'attente")
    assert.equal(/<a href="\/messagerie\/nouveau\?theme=Demande%20de%20r%C3%A9servation%20ou%20annulation">Écrire au service/.test(response.text()), moduleRegistry.isEnabled('messaging'))
    const withoutMessaging = await withModulesOff(['messaging'], async () =>
      (
        await client
          .post('/planning')
          .form({ vue: 'mois', date: days[0].day, action: 'apply', shown: [`${child.id}-${days[0].id}`], selected: [`${child.id}-${days[0].id}`] })
          .loginAs(user)
          .withCsrfToken()
      ).text()
    )
    assert.include(withoutMessaging, '1 modification refusée')
    assert.notInclude(withoutMessaging, '/messagerie')
    assert.include(withoutMessaging, 'Pour une demande hors délai ou hors capacité, contactez le service.')
    const join = await client
      .post('/planning/liste-attente')
      .form({ waitlist: `${child.id}-${days[0].id}`, vue: 'mois', date: days[0].day })
      .loginAs(user)
      .withCsrfToken()
    assert.include(join.text(), 'en liste d&#x27;attente (rang 1)')
    assert.lengthOf(await db.from('planning_waitlist_entries').where('family_id', family.id), 1)
  })

  test("another family's children, days and bookings cannot be changed through the basket", async ({ client, assert }) => {
    const { child, days, family } = await setup()
    const intruder = await createFamily()
    await bookingService.book(family.id, child.id, days[1].id, { as: 'parent', actor: intruder.user })
    const response = await sendBasket(client, intruder.user, { date: days[0].day, action: 'apply', shown: [`${child.id}-${days[1].id}`], selected: [`${child.id}-${days[0].id}`] })
    response.assertStatus(200)
    const rows = await db.from('planning_bookings').where('child_id', child.id)
    assert.deepEqual(rows.map((row) => row.activity_day_id), [days[1].id])
    assert.deepInclude(await dayCounts(days[0].id), { rows: 0, over6: 0 })
    // the intruder's planning does not show the other family's child
    const page = await client.get(`/planning?date=${days[0].day}`).loginAs(intruder.user)
    assert.notInclude(page.text(), `value="${child.id}-`)
  })

  test("absences: another family's booking is a 404; a declared absence with a certificate is justified", async ({ client, assert }) => {
    const activity = await createActivity({ cancelDeadline: { kind: 'days_before', days: 3, time: '12:00', skipWeekends: false } })
    const { family, user, children } = await registeredFamily(activity)
    const day = await createDay(activity, dayFromToday(1))
    const booked = await bookingService.book(family.id, children[0].id, day.id, { as: 'staff', actor: user, reason: 'test' })
    assert.isTrue(booked.ok)
    const bookingId = booked.ok ? booked.bookingId! : 0
    const intruder = await createFamily()
    ;(await client.get(`/planning/absences/${bookingId}`).loginAs(intruder.user)).assertStatus(404)
    ;(await client.post(`/planning/absences/${bookingId}`).loginAs(intruder.user).withCsrfToken()).assertStatus(404)

    const form = await client.get(`/planning/absences/${bookingId}`).loginAs(user)
    form.assertStatus(200)
    assert.include(form.text(), 'Certificat médical')
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
    const response = await client
      .post(`/planning/absences/${bookingId}`)
      .field('reason', 'Angine')
      .file('certificate', pdf, { filename: 'certificat.pdf', contentType: 'application/pdf' })
      .loginAs(user)
      .withCsrfToken()
    response.assertStatus(200)
    assert.include(response.text(), 'Absence justifiée enregistrée')
    const row = await db.from('planning_bookings').where('id', bookingId).first()
    assert.equal(row.attendance, 'justified')
    const document = await db.from('family_documents').where('id', row.absence_document_id).first()
    assert.equal(document.category, 'justificatif_absence')
    assert.equal(document.family_id, family.id)
    const history = await db.from('family_history_entries').where('family_id', family.id).where('kind', 'absence')
    assert.lengthOf(history, 1)
  })

  test('an absence too late to declare: the page offers what the enabled modules offer (messaging: write to the service)', async ({ client, assert }) => {
    const activity = await createActivity()
    const { family, user, children } = await createFamily()
    await createValidatedRegistration(activity, family.id, children[0].id, dayFromToday(-10))
    const day = await createDay(activity, dayFromToday(-5))
    // Booked by hand: the booking rules refuse a past day, and only the page is checked here.
    const booking = await Booking.create({ familyId: family.id, childId: children[0].id, activityDayId: day.id, activityId: activity.id, day: day.day, ageGroup: 'over6' })
    const page = async () => (await client.get(`/planning/absences/${booking.id}`).loginAs(user)).text()
    const withMessaging = await page()
    assert.include(withMessaging, 'Le délai pour déclarer cette absence est dépassé.')
    assert.equal(/<a href="\/messagerie\/nouveau\?theme=Remise%20de%20justificatif">Écrire au service/.test(withMessaging), moduleRegistry.isEnabled('messaging'))
    const withoutMessaging = await withModulesOff(['messaging'], page)
    assert.include(withoutMessaging, 'Le délai pour déclarer cette absence est dépassé.')
    assert.notInclude(withoutMessaging, '/messagerie')
  })

  test('the private iCalendar feed: made on request, stored hashed, renewed, never another family', async ({ client, assert }) => {
    const { user, child, days, family } = await setup()
    await bookingService.book(family.id, child.id, days[0].id, { as: 'parent', actor: user })
    const made = await client.post('/planning/calendrier').loginAs(user).withCsrfToken()
    const url = /value="[^"]*(\/planning\/calendrier\/[A-Za-z0-9_-]+\.ics)"/.exec(made.text())?.[1]
    assert.isString(url)
    const stored = await db.from('planning_feed_tokens').where('family_id', family.id).first()
    assert.notInclude(url!, stored.token_hash)
    const feed = await client.get(url!)
    feed.assertStatus(200)
    assert.include(feed.header('content-type'), 'text/calendar')
    assert.include(feed.text(), 'BEGIN:VCALENDAR')
    assert.include(feed.text(), `DTSTART;VALUE=DATE:${days[0].day.replaceAll('-', '')}`)
    assert.include(feed.text(), 'SUMMARY:Lya — Vacances')

    await client.post('/planning/calendrier').loginAs(user).withCsrfToken()
    ;(await client.get(url!)).assertStatus(404)
    ;(await client.get('/planning/calendrier/not-a-real-token-at-all-000.ics')).assertStatus(404)
  })

  test('the planning is private: visitors go to the login page, parents get a 403 on staff pages', async ({ client }) => {
    const visitor = await client.get('/planning').redirects(0)
    visitor.assertStatus(302)
    visitor.assertHeader('location', '/connexion')
    const { user, days } = await setup()
    ;(await client.get('/gestion/planning').loginAs(user)).assertStatus(403)
    ;(await client.get(`/gestion/planning/jours/${days[0].id}`).loginAs(user)).assertStatus(403)
    ;(await client.post(`/gestion/planning/jours/${days[0].id}/reserver`).loginAs(user).withCsrfToken()).assertStatus(403)
  })

  test('every period view renders: fortnight, week, summary; arrows move by the period', async ({ client, assert }) => {
    const { user, days, child, family } = await setup()
    await bookingService.book(family.id, child.id, days[0].id, { as: 'parent', actor: user })
    const week = await client.get(`/planning?vue=semaine&date=${days[0].day}`).loginAs(user)
    week.assertStatus(200)
    assert.include(week.text(), 'aria-current="page">SEMAINE')
    assert.equal(week.text().match(/class="cal-day cal-day--(?!pad)/g)?.length, 7)
    const fortnight = await client.get(`/planning?vue=quinzaine&date=${days[0].day}`).loginAs(user)
    assert.equal(fortnight.text().match(/class="cal-day cal-day--(?!pad)/g)?.length, 14)
    const summary = await client.get(`/planning/recapitulatif?date=${days[0].day}`).loginAs(user)
    assert.include(summary.text(), 'Lya — Vacances : 1 jour réservé')
    assert.include(summary.text(), 'Annulable dans le planning')
    const home = await client.get('/accueil').loginAs(user)
    assert.include(home.text(), '1 jour réservé à venir, le prochain le')
  })

  test('MODIFICATION AVANCÉE books a weekday pattern between two dates, each day reported; never for another family', async ({ client, assert }) => {
    const activity = await createActivity({ name: 'Mercredis' })
    const { family, user, children } = await registeredFamily(activity)
    const created = await createDays(activity, dayFromToday(30), 14)
    const wednesdays = created.filter((day) => new Date(`${day.day}T12:00:00Z`).getUTCDay() === 3)
    const page = await client.get('/planning/modification-avancee').loginAs(user)
    page.assertStatus(200)
    const response = await client
      .post('/planning/modification-avancee')
      .form({ registration: `${children[0].id}-${activity.id}`, mode: 'book', from: created[0].day, to: created[13].day, 'weekdays[]': '3' })
      .loginAs(user)
      .withCsrfToken()
    assert.include(response.text(), `${wednesdays.length} modifications enregistrées`)
    const rows = await db.from('planning_bookings').where('family_id', family.id).orderBy('day')
    assert.deepEqual(rows.map((row) => row.activity_day_id), wednesdays.map((day) => day.id))

    // The same pattern again, with Thursdays too: the Wednesdays already booked are said so, not « refusées ».
    const thursdays = created.filter((day) => new Date(`${day.day}T12:00:00Z`).getUTCDay() === 4)
    const again = await client
      .post('/planning/modification-avancee')
      .form({ registration: `${children[0].id}-${activity.id}`, mode: 'book', from: created[0].day, to: created[13].day, 'weekdays[]': ['3', '4'] })
      .loginAs(user)
      .withCsrfToken()
    assert.include(again.text(), `${thursdays.length} modifications enregistrées`)
    assert.include(again.text(), `${wednesdays.length} jours choisis étaient déjà réservés : rien à faire pour eux.`)
    assert.notInclude(again.text(), 'refusée')
    assert.lengthOf(await db.from('planning_bookings').where('family_id', family.id), wednesdays.length + thursdays.length)

    const intruder = await createFamily()
    const refused = await client
      .post('/planning/modification-avancee')
      .form({ registration: `${children[0].id}-${activity.id}`, mode: 'cancel', from: created[0].day, to: created[13].day })
      .loginAs(intruder.user)
      .withCsrfToken()
    assert.include(refused.text(), 'refusée')
    assert.lengthOf(await db.from('planning_bookings').where('family_id', family.id), wednesdays.length + thursdays.length)
    const waitlist = await client
      .post('/planning/liste-attente')
      .form({ waitlist: `${children[0].id}-${created[0].id}` })
      .loginAs(intruder.user)
      .withCsrfToken()
    assert.include(waitlist.text(), "n&#x27;appartient pas à la famille")
    assert.lengthOf(await db.from('planning_waitlist_entries').where('child_id', children[0].id), 0)
  })

  test('history lists every change', async ({ client, assert }) => {
    const { user, child, days, family } = await setup()
    await sendBasket(client, user, { date: days[0].day, action: 'apply', shown: [`${child.id}-${days[0].id}`], selected: [`${child.id}-${days[0].id}`] })
    const lines = await db.from('family_history_entries').where('family_id', family.id).where('module', 'planning')
    assert.lengthOf(lines, 1)
    assert.match(lines[0].text, /^Réservation : Vacances du \d{2}\/\d{2}\/\d{4} \(Lya\)$/)
  })

  test('a basket of several days writes one history line for its bookings and one for its cancellations', async ({ client, assert }) => {
    const { user, child, days, family } = await setup()
    await bookingService.book(family.id, child.id, days[3].id, { as: 'parent', actor: user })
    const before = Number((await db.from('family_history_entries').where('family_id', family.id).where('module', 'planning').count('* as n'))[0].n)
    const shown = days.map((day) => `${child.id}-${day.id}`)
    await sendBasket(client, user, { date: days[0].day, action: 'apply', shown, selected: shown.slice(0, 3) })
    const lines = await db.from('family_history_entries').where('family_id', family.id).where('module', 'planning').orderBy('id').offset(before)
    const fr = (iso: string) => DateTime.fromISO(iso).toFormat('dd/MM/yyyy')
    assert.deepEqual(
      lines.map((line) => [line.kind, line.text]),
      [
        ['cancellation', `Annulation : Vacances du ${fr(days[3].day)} (Lya)`],
        ['booking', `Réservations de 3 jours : Vacances (Lya) : ${days.slice(0, 3).map((day) => fr(day.day)).join(', ')}`],
      ]
    )
  })

  test('a basket with a box the page never shows is refused whole: nothing booked, the parent told', async ({ client, assert }) => {
    const { user, child, days, family } = await setup()
    const good = `${child.id}-${days[0].id}`
    for (const bad of ['1-2-3', "1-2' OR 1=1", 'x', `${child.id}-${days[1].id}`.repeat(3)]) {
      const response = await sendBasket(client, user, { date: days[0].day, action: 'apply', shown: [good, bad], selected: [good, bad] })
      response.assertStatus(200)
      assert.include(response.text(), 'Votre sélection n&#x27;a pas pu être lue', bad)
    }
    assert.lengthOf(await db.from('planning_bookings').where('family_id', family.id), 0)
  })
})

test.group('Planning pages (staff)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('settings, day generation without public holidays, day sheet, attendance and booking on behalf', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const activity = await createActivity({ startsOn: '2027-05-03', endsOn: '2027-05-16', weekdays: [1, 2, 3, 4, 5] })
    await db.from('activity_days').where('activity_id', activity.id).delete()
    const settings = await client
      .post(`/gestion/planning/activites/${activity.id}`)
      .form({
        room_capacity: 30,
        ratio_kind: 'holiday',
        staff_under6: 2,
        staff_over6: 1,
        holiday_mode: 'all',
        booking_kind: 'days_before',
        booking_days: 2,
        booking_time: '12:00',
        booking_skip_weekends: 'on',
        cancel_kind: 'hours_before',
        cancel_hours: 72,
        cancel_time: '08:00',
      })
      .loginAs(agent)
      .withCsrfToken()
    settings.assertStatus(200)
    assert.include(settings.text(), '16 places moins de 6 ans, 12 places 6 ans et plus, 30 au plus dans la salle')
    const generated = await client.post(`/gestion/planning/activites/${activity.id}/generer`).loginAs(agent).withCsrfToken()
    assert.include(generated.text(), '9 jours créés')
    const days = await db.from('activity_days').where('activity_id', activity.id).orderBy('day')
    const dates = days.map((d) => d.day)
    assert.notInclude(dates, '2027-05-06') // Ascension
    assert.notInclude(dates, '2027-05-08') // a Saturday anyway
    assert.include(dates, '2027-05-07')
    assert.equal(days[0].capacity_under6, 16)

    const { family, children } = await createFamily({ children: [{ firstName: 'Zoé', birthDate: '2016-02-02' }] })
    await db.from('children').where('id', children[0].id).update({ allergies: 'arachide', pai: true })
    await createValidatedRegistration(activity, family.id, children[0].id)
    const book = await client
      .post(`/gestion/planning/jours/${days[0].id}/reserver`)
      .form({ child_id: children[0].id, reason: 'Demande au guichet' })
      .loginAs(agent)
      .withCsrfToken()
    assert.include(book.text(), 'réservé')
    assert.include(book.text(), 'arachide')
    assert.include(book.text(), 'PAI')
    // new rules then a new run: the coming days take the new places, a day with more children keeps its own
    await client
      .post(`/gestion/planning/activites/${activity.id}`)
      .form({ room_capacity: 30, ratio_kind: 'holiday', staff_under6: 1, staff_over6: 0, holiday_mode: 'all', booking_kind: 'none', cancel_kind: 'none' })
      .loginAs(agent)
      .withCsrfToken()
    const again = await client.post(`/gestion/planning/activites/${activity.id}/generer`).loginAs(agent).withCsrfToken()
    assert.include(again.text(), '0 jour créé')
    assert.include(again.text(), '8 jours à venir mis aux nouvelles capacités ; 1 jour garde ses places')
    const after = await db.from('activity_days').where('activity_id', activity.id).orderBy('day')
    assert.equal(after[0].capacity_over6, 12)
    assert.equal(after[1].capacity_over6, 0)
    assert.equal(after[1].capacity_under6, 8)
    const booking = await db.from('planning_bookings').where('activity_day_id', days[0].id).first()
    await client
      .post(`/gestion/planning/jours/${days[0].id}/presences`)
      .form({ [`presence_${booking.id}`]: 'present' })
      .loginAs(agent)
      .withCsrfToken()
    assert.equal((await db.from('planning_bookings').where('id', booking.id).first()).attendance, 'present')
  })

  test('school holidays and closures are edited by the staff', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const response = await client
      .post('/gestion/planning/vacances')
      .form({ name: 'Vacances de printemps', zone: 'B', starts_on: '2027-04-10', ends_on: '2027-04-25' })
      .loginAs(agent)
      .withCsrfToken()
    assert.include(response.text(), 'Vacances de printemps')
    assert.include(response.text(), 'Lundi de Pentecôte')
    await client.post('/gestion/planning/fermetures').form({ date: '2027-04-30', reason: 'Pont' }).loginAs(agent).withCsrfToken()
    assert.lengthOf(await db.from('planning_closures').where('reason', 'Pont'), 1)
  })
})
