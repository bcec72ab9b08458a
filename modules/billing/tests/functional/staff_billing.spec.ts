import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import Invoice from '#modules/billing/models/invoice'
import InvoiceLine from '#modules/billing/models/invoice_line'
import CreditNote from '#modules/billing/models/credit_note'
import Payment from '#modules/billing/models/payment'
import Tariff from '#modules/billing/models/tariff'
import { Registration } from '#modules/inscriptions/index'
import { canteenTariff, createActivity, createFamily, familyWithInvoice } from '#modules/billing/tests/factories'
import { bookDays } from '#modules/planning/tests/factories'
import { createUser } from '#tests/helpers/users'
import { submitForm } from '#tests/helpers/requests'
import { monthLabel } from '#modules/billing/services/billing_month'
import { seedDebitMonth } from '#modules/billing/bench/debit_month_seed'

test.group('FACTURATION for the staff', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the month run from planning and inscriptions, to the cent; clicking again changes nothing', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const canteen = await createActivity('Restauration scolaire', { feeCents: 800 } as any)
    await canteenTariff(canteen.id)
    const { family, children, parent } = await createFamily({ quotient: 1000 })
    await bookDays(canteen.id, family.id, children[0].id, [
      { date: '2026-09-01', attendance: 'present' },
      { date: '2026-09-03', attendance: 'present' },
      { date: '2026-09-04', attendance: 'present' },
      { date: '2026-09-07', attendance: 'justified' },
      { date: '2026-09-08', attendance: 'absent' },
      { date: '2026-09-10', attendance: null, late: true },
    ])
    await Registration.create({
      familyId: family.id,
      childId: children[0].id,
      activityId: canteen.id,
      state: 'validated',
      activeKey: 1,
      startDate: '2026-09-01',
      decidedAt: DateTime.fromISO('2026-09-02T10:00:00', { zone: 'Europe/Paris' }),
    } as any)

    const run = await client.post('/gestion/facturation/generer').form({ month: '2026-09' }).withCsrfToken().loginAs(agent).redirects(0)
    run.assertStatus(302)
    run.assertFlashMessage('alert', { success: '1 facture émise pour septembre 2026 (25,75\u00a0€).' })
    const invoice = await Invoice.query().where('family_id', family.id).where('month', '2026-09').firstOrFail()
    const lines = await InvoiceLine.query().where('invoice_id', invoice.id).orderBy('position')
    assert.deepEqual(
      lines.map((line) => [line.kind, line.quantity, line.unitPriceCents, line.totalCents]),
      [
        ['booking', 5, 305, 1525],
        ['late', 1, 250, 250],
        ['registration', 1, 800, 800],
      ]
    )
    assert.equal(invoice.totalCents, 2575)
    const page = await client.get('/gestion/facturation?month=2026-09').loginAs(agent)
    assert.include(page.text(), invoice.number)

    const again = await client.post('/gestion/facturation/generer').form({ month: '2026-09' }).withCsrfToken().loginAs(agent).redirects(0)
    assert.include((again.flashMessages() as any).alert.success, '0 facture émise')
    assert.include((again.flashMessages() as any).alert.success, '1 famille déjà facturée, inchangée')
    assert.lengthOf(await Invoice.query().where('family_id', family.id), 1)

    // The parent sees it, with the state in words.
    const list = await client.get('/facturation').loginAs(parent!)
    assert.include(list.text(), invoice.number)
  })

  test('a month that has not ended is refused with the first day it can run, unless forced', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const today = DateTime.now().setZone('Europe/Paris')
    const month = today.toFormat('yyyy-MM')
    const nextMonth = today.plus({ months: 1 }).setLocale('fr').toFormat('LLLL yyyy')
    const canteen = await createActivity('Cantine du mois en cours')
    await canteenTariff(canteen.id, today.startOf('month').toISODate()!)
    const { family, children } = await createFamily({ quotient: 1000 })
    await bookDays(canteen.id, family.id, children[0].id, [{ date: today.toISODate()! }])

    const form = await client.get('/gestion/facturation').loginAs(agent)
    assert.include(form.text(), 'name="force"')
    assert.include(form.text(), 'Émettre avant la fin du mois')

    const refused = await client.post('/gestion/facturation/generer').form({ month }).withCsrfToken().loginAs(agent).redirects(0)
    refused.assertStatus(302)
    refused.assertValidationError(
      'month',
      `Le mois de ${monthLabel(month)} n’est pas terminé : ses factures pourront être émises à partir du 1er ${nextMonth}. Pour les émettre quand même, cochez « Émettre avant la fin du mois ».`
    )
    assert.equal((refused.flashMessages() as any).month, month)
    const future = await client.post('/gestion/facturation/generer').form({ month: '2099-01' }).withCsrfToken().loginAs(agent).redirects(0)
    assert.match((future.flashMessages() as any).inputErrorsBag.month[0], /^Le mois de janvier 2099 n’est pas terminé : ses factures pourront être émises à partir du 1er février 2099\./)
    assert.lengthOf(await Invoice.query().where('family_id', family.id), 0)

    const forced = await client.post('/gestion/facturation/generer').form({ month, force: 'on' }).withCsrfToken().loginAs(agent).redirects(0)
    forced.assertStatus(302)
    assert.match((forced.flashMessages() as any).alert.success, new RegExp(`^1 facture émise pour ${monthLabel(month)}`))
    assert.lengthOf(await Invoice.query().where('family_id', family.id).where('month', month), 1)
  })

  test('totals and the CSV export of the month', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const { invoice } = await familyWithInvoice(4)
    const page = await client.get('/gestion/facturation?month=2026-09').loginAs(agent)
    assert.match(page.text(), /Total facturé">12,20\s€/)
    const csv = await client.get('/gestion/facturation/export.csv?month=2026-09').loginAs(agent)
    csv.assertStatus(200)
    assert.include(csv.header('content-type'), 'text/csv')
    assert.isTrue(csv.text().startsWith('\ufeffNuméro;Mois;Famille'))
    assert.include(csv.text(), `${invoice.number};2026-09;Camille MARTIN;2026-10-02;2026-10-31;12,20;0,00;0,00;12,20;`)
  })

  test('a credit note with its reason lowers what is left; it can never exceed the invoice; issued lines never change', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const { invoice, parent } = await familyWithInvoice(4)
    const noReason = await client.post(`/gestion/facturation/factures/${invoice.id}/avoirs`).form({ amount: '3,05', reason: '' }).withCsrfToken().loginAs(agent).redirects(0)
    noReason.assertStatus(302)
    noReason.assertValidationError('reason', 'Ce champ est obligatoire.')
    assert.lengthOf(await CreditNote.query().where('invoice_id', invoice.id), 0)

    await client
      .post(`/gestion/facturation/factures/${invoice.id}/avoirs`)
      .form({ amount: '3,05', reason: 'Repas du 3 septembre non servi (grève)' })
      .withCsrfToken()
      .loginAs(agent)
    const notes = await CreditNote.query().where('invoice_id', invoice.id)
    assert.lengthOf(notes, 1)
    assert.equal(notes[0].amountCents, 305)
    assert.match(notes[0].number, /^AV\d{4}-\d{6}$/)
    const fresh = await Invoice.findOrFail(invoice.id)
    assert.equal(fresh.totalCents, 1220)
    assert.equal(fresh.balanceCents, 915)
    assert.deepEqual((await InvoiceLine.query().where('invoice_id', invoice.id)).map((line) => line.totalCents), [1220])

    const tooMuch = await client.post(`/gestion/facturation/factures/${invoice.id}/avoirs`).form({ amount: '20', reason: 'Erreur' }).withCsrfToken().loginAs(agent).redirects(0)
    assert.match((tooMuch.flashMessages() as any).inputErrorsBag.amount[0], /^L’avoir dépasse le montant restant de la facture \(9,15\s€ au plus\)\.$/)
    assert.lengthOf(await CreditNote.query().where('invoice_id', invoice.id), 1)

    const parentView = await client.get(`/facturation/${invoice.id}`).loginAs(parent!)
    assert.include(parentView.text(), 'Repas du 3 septembre non servi (grève)')
    assert.match(parentView.text(), /-3,05\s€/)
  })

  test('counter payments (cheque, cash, CESU) with a receipt number; never more than what is left', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const { invoice } = await familyWithInvoice(4)
    const pay = (method: string, amount: string, receiptNumber: string, paidOn: string) =>
      client.post(`/gestion/facturation/factures/${invoice.id}/paiements`).form({ method, amount, receiptNumber, paidOn }).withCsrfToken().loginAs(agent)
    await pay('cheque', '10,00', 'CH-0001', '2026-10-05')
    let fresh = await Invoice.findOrFail(invoice.id)
    assert.equal(fresh.paidCents, 1000)
    assert.equal(fresh.status, 'open')
    assert.equal(fresh.state === 'paid', false)

    const duplicate = await pay('cheque', '1,00', 'CH-0001', '2026-10-05').redirects(0)
    duplicate.assertValidationError('receiptNumber', 'Le reçu n° CH-0001 est déjà enregistré.')
    const over = await pay('cash', '5,00', 'ES-1', '2026-10-05').redirects(0)
    assert.include((over.flashMessages() as any).inputErrorsBag.amount[0], 'Le montant dépasse le reste à payer')

    await pay('cesu', '2,20', 'CESU-77', '2026-10-06')
    fresh = await Invoice.findOrFail(invoice.id)
    assert.equal(fresh.status, 'paid')
    assert.equal(fresh.balanceCents, 0)
    assert.deepEqual((await Payment.query().where('invoice_id', invoice.id).orderBy('id')).map((p) => [p.method, p.amountCents, p.receiptNumber]), [
      ['cheque', 1000, 'CH-0001'],
      ['cesu', 220, 'CESU-77'],
    ])
  })

  test('the unpaid list and its CSV', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const unpaid = await familyWithInvoice(2, { lastName: 'Impaye' })
    const paid = await familyWithInvoice(1, { lastName: 'Paye' })
    await client
      .post(`/gestion/facturation/factures/${paid.invoice.id}/paiements`)
      .form({ method: 'cash', amount: '3,05', receiptNumber: 'ES-9', paidOn: '2026-10-05' })
      .withCsrfToken()
      .loginAs(agent)
    const page = await client.get('/gestion/facturation/impayes').loginAs(agent)
    assert.include(page.text(), unpaid.invoice.number)
    assert.notInclude(page.text(), paid.invoice.number)
    const csv = await client.get('/gestion/facturation/impayes.csv').loginAs(agent)
    assert.include(csv.text(), `${unpaid.invoice.number};2026-09;Camille IMPAYE;2026-10-31;6,10;`)
    assert.notInclude(csv.text(), paid.invoice.number)
  })

  test('past a page: the unpaid list goes 50 at a time with a window of page links; its CSV carries every one, in the same order', async ({ client, assert }) => {
    const agent = await createUser('staff')
    await seedDebitMonth(db.connection(), { families: 400, month: '2097-05', debitOn: '2097-06-10', prefix: 'Liste' })
    const open = await db.from('invoices').where('status', 'open').whereRaw('total_cents - credited_cents - paid_cents > 0').orderBy('due_date').orderBy('sequence').select('number')
    const lastPage = Math.ceil(open.length / 50)
    assert.isAtLeast(lastPage, 8)
    const numbersOn = (html: string) => [...html.matchAll(/data-label="Numéro"><a [^>]*>([^<]+)<\/a>/g)].map((match) => match[1])

    const first = await client.get('/gestion/facturation/impayes').loginAs(agent)
    first.assertStatus(200)
    assert.include(first.text(), `${open.length} factures à encaisser`)
    assert.deepEqual(numbersOn(first.text()), open.slice(0, 50).map((row) => row.number))
    const links = (html: string) => [...html.matchAll(/aria-label="Page (\d+)"/g)].map((match) => Number(match[1]))
    assert.deepEqual(links(first.text()), [2, 3, lastPage])

    const middle = await client.get('/gestion/facturation/impayes').qs({ page: 5 }).loginAs(agent)
    assert.include(middle.text(), 'aria-label="Page 5, page actuelle"')
    assert.deepEqual(links(middle.text()), [1, 3, 4, 6, 7, lastPage])
    assert.deepEqual(numbersOn(middle.text()), open.slice(200, 250).map((row) => row.number))
    const last = await client.get('/gestion/facturation/impayes').qs({ page: lastPage }).loginAs(agent)
    assert.deepEqual(numbersOn(last.text()), open.slice(50 * (lastPage - 1)).map((row) => row.number))

    const csv = await client.get('/gestion/facturation/impayes.csv').loginAs(agent)
    const rows = csv.text().trim().split('\r\n').slice(1)
    assert.deepEqual(rows.map((row) => row.split(';')[0]), open.map((row) => row.number))
    const month = await client.get('/gestion/facturation/export.csv').qs({ month: '2097-05' }).loginAs(agent)
    const ofMonth = await db.from('invoices').where('month', '2097-05').orderBy('sequence').select('number')
    assert.deepEqual(month.text().trim().split('\r\n').slice(1).map((row) => row.split(';')[0]), ofMonth.map((row) => row.number))
  })

  test('tariffs: brackets and linear through the form; invalid grids and duplicate dates refused', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const activity = await createActivity('Périscolaire du soir')
    await client
      .post('/gestion/facturation/tarifs')
      .form({
        activityId: String(activity.id),
        validFrom: '2026-09-01',
        unit: 'meal',
        model: 'brackets',
        brackets: '0 ; 0,50\n400 ; 1,75\n640 ; 2,35\n860 ; 3,05\n1150 ; 3,55\n1500 ; 4,05\n1700 ; 4,60\n1900 ; 4,90',
        nonResident: '6,50',
        lateSurcharge: '2,50',
        sibling2: '10',
      })
      .withCsrfToken()
      .loginAs(agent)
    const grid = await Tariff.query().where('activity_id', activity.id).firstOrFail()
    assert.lengthOf(grid.brackets, 8)
    assert.deepEqual(grid.brackets[3], { fromQf: 860, priceCents: 305 })
    assert.equal(grid.nonResidentCents, 650)
    assert.equal(grid.lateSurchargeCents, 250)
    assert.deepEqual(grid.siblingReductions, { 2: 10 })

    await client
      .post('/gestion/facturation/tarifs')
      .form({ activityId: String(activity.id), validFrom: '2027-01-01', unit: 'hour', model: 'linear', rate: '0,36', floor: '2,60', ceiling: '4,50' })
      .withCsrfToken()
      .loginAs(agent)
    const linear = await Tariff.query().where('activity_id', activity.id).where('valid_from', '2027-01-01').firstOrFail()
    assert.equal(linear.rate, 3600)
    assert.equal(linear.floorCents, 260)
    assert.equal(linear.ceilingCents, 450)

    const bad = await submitForm(client, agent, '/gestion/facturation/tarifs', { activityId: String(activity.id), validFrom: '2027-02-01', unit: 'meal', model: 'brackets', brackets: '100 ; 1,00' })
    bad.assertValidationError('brackets', 'La première tranche doit commencer au quotient 0.')
    const duplicate = await submitForm(client, agent, '/gestion/facturation/tarifs', { activityId: String(activity.id), validFrom: '2026-09-01', unit: 'meal', model: 'brackets', brackets: '0 ; 1,00' })
    assert.include((duplicate.flashMessages() as any).inputErrorsBag.validFrom[0], 'Un tarif commence déjà à cette date')
    assert.lengthOf(await Tariff.query().where('activity_id', activity.id), 2)
    const page = await client.get('/gestion/facturation/tarifs').loginAs(agent)
    assert.include(page.text(), 'Périscolaire du soir')
    assert.include(page.text(), '0,36 % × QF, entre 2,60\u00a0€ et 4,50\u00a0€')
  })

  test('amounts, rates and grid lines typed wrong are refused beside their fields, each in French', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const { invoice } = await familyWithInvoice(4)
    for (const amount of ['0', 'douze', '-3', '12,505']) {
      const refused = await submitForm(client, agent, `/gestion/facturation/factures/${invoice.id}/avoirs`, { amount, reason: 'Erreur' })
      refused.assertValidationError('amount', 'Indiquez un montant en euros (exemple : 12,50).')
      assert.equal(refused.flashMessages().amount, amount, 'the input is kept')
    }
    const payment = await submitForm(client, agent, `/gestion/facturation/factures/${invoice.id}/paiements`, { method: 'cash', amount: '0,00', receiptNumber: 'ES-2', paidOn: '2026-10-05' })
    payment.assertValidationError('amount', 'Indiquez un montant en euros (exemple : 12,50).')
    assert.lengthOf(await CreditNote.query().where('invoice_id', invoice.id), 0)
    assert.lengthOf(await Payment.query().where('invoice_id', invoice.id), 0)

    const activity = await createActivity('Accueil du mercredi')
    const tariff = (fields: Record<string, string>) =>
      submitForm(client, agent, '/gestion/facturation/tarifs', { activityId: String(activity.id), validFrom: '2026-09-01', unit: 'meal', ...fields })
    const grid = await tariff({ model: 'brackets', brackets: '0 ; 0,50\n400 ; beaucoup', nonResident: 'six euros' })
    assert.deepEqual((grid.flashMessages() as any).inputErrorsBag, {
      brackets: ['Ligne 2 : écrivez « quotient de début ; prix », par exemple « 400 ; 1,75 ».'],
      nonResident: ['Indiquez un montant en euros (exemple : 3,05).'],
    })
    const linear = await tariff({ model: 'linear', rate: 'un tiers', floor: '2,60' })
    assert.deepEqual((linear.flashMessages() as any).inputErrorsBag, {
      rate: ["Indiquez le taux d'effort en pourcentage (exemple : 0,36)."],
      ceiling: ['Ce champ est obligatoire.'],
    })
    const linearGridIgnored = await tariff({ model: 'linear', rate: '0,36', ceiling: '4,50', brackets: 'pas une grille' })
    linearGridIgnored.assertStatus(302)
    assert.lengthOf(await Tariff.query().where('activity_id', activity.id), 1)
  })

  test('parents get the 403 page on every staff page and action', async ({ client }) => {
    const { parent, invoice } = await familyWithInvoice(1)
    for (const url of ['/gestion/facturation', '/gestion/facturation/impayes', '/gestion/facturation/tarifs', `/gestion/facturation/factures/${invoice.id}`, '/gestion/facturation/export.csv']) {
      ;(await client.get(url).loginAs(parent!)).assertStatus(403)
    }
    for (const url of ['/gestion/facturation/generer', `/gestion/facturation/factures/${invoice.id}/avoirs`, `/gestion/facturation/factures/${invoice.id}/paiements`, '/gestion/facturation/tarifs']) {
      ;(await client.post(url).form({}).withCsrfToken().loginAs(parent!)).assertStatus(403)
    }
  })
})
