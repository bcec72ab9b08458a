import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import Invoice from '#modules/billing/models/invoice'
import InvoiceLine from '#modules/billing/models/invoice_line'
import { HistoryEntry } from '#modules/dossier/index'
import invoiceService from '#modules/billing/services/invoice_service'
import { nextNumber } from '#modules/billing/services/invoice_numbers'
import { fixtureSource, type BookedDay } from '#modules/billing/services/billing_source'
import { canteenTariff, createActivity, createFamily, linearTariff } from '#modules/billing/tests/factories'
import { removeCommitted } from '#modules/billing/tests/fixtures'

async function fixtureMonth() {
  const canteen = await createActivity('Restauration scolaire')
  await canteenTariff(canteen.id, '2026-01-01', { siblingReductions: { 2: 10 } })
  const leisure = await createActivity('Accueil de loisirs', { feeCents: 1500 } as any)
  await linearTariff(leisure.id)

  // Lya (eldest) and Maël, QF 1000, living in the commune.
  const a = await createFamily({ quotient: 1000, lastName: 'Martin', children: [{ firstName: 'Lya', birthDate: '2016-05-01' }, { firstName: 'Maël', birthDate: '2019-02-10' }] })
  const [lya, mael] = a.children
  const b = await createFamily({ quotient: null, lastName: 'Bernard' })
  const c = await createFamily({ quotient: 500, resident: false, lastName: 'Durand' })
  const d = await createFamily({ quotient: 700, lastName: 'Petit' })

  const day = (familyId: number, childId: number, activityId: number, date: string, attendance: BookedDay['attendance'] = 'present', late = false): BookedDay => ({
    familyId,
    childId,
    activityId,
    day: date,
    attendance,
    late,
  })
  const days: BookedDay[] = [
    // Lya, canteen: 4 present, 1 unjustified absence, 1 justified absence, 1 late present → 6 meals, 1 surcharge
    ...['2026-09-01', '2026-09-03', '2026-09-04', '2026-09-07'].map((date) => day(a.family.id, lya.id, canteen.id, date)),
    day(a.family.id, lya.id, canteen.id, '2026-09-08', 'absent'),
    day(a.family.id, lya.id, canteen.id, '2026-09-10', 'justified'),
    day(a.family.id, lya.id, canteen.id, '2026-09-11', 'present', true),
    // Lya, leisure centre (linear 0.36 % × 1000 = 3.60 €/day): 2 days
    day(a.family.id, lya.id, leisure.id, '2026-09-02'),
    day(a.family.id, lya.id, leisure.id, '2026-09-09', 'unknown'),
    // Maël, canteen (2nd child -10 %: 2.745 → 2.75 €): 3 present + 1 late → 4 meals, 1 surcharge
    ...['2026-09-01', '2026-09-03', '2026-09-04'].map((date) => day(a.family.id, mael.id, canteen.id, date)),
    day(a.family.id, mael.id, canteen.id, '2026-09-07', 'present', true),
    // no QF: highest bracket 4.90 €
    day(b.family.id, b.children[0].id, canteen.id, '2026-09-01'),
    day(b.family.id, b.children[0].id, canteen.id, '2026-09-03'),
    // non-resident 6.50 €, one late (+2.50 €)
    day(c.family.id, c.children[0].id, canteen.id, '2026-09-01'),
    day(c.family.id, c.children[0].id, canteen.id, '2026-09-03'),
    day(c.family.id, c.children[0].id, canteen.id, '2026-09-04', 'present', true),
    // only a justified absence: nothing to bill
    day(d.family.id, d.children[0].id, canteen.id, '2026-09-01', 'justified'),
    // another month: ignored
    day(a.family.id, lya.id, canteen.id, '2026-10-01'),
  ]
  const fees = [{ familyId: a.family.id, childId: lya.id, activityId: leisure.id, feeCents: 1500, validatedOn: '2026-09-10' }]
  return { source: fixtureSource(days, fees), a, b, c, d, canteen, leisure }
}

test.group('Invoice generation', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a fixture month is billed to the cent: bookings, absences, late surcharges, registration fee, siblings', async ({ assert }) => {
    const { source, a, b, c, d } = await fixtureMonth()
    const summary = await invoiceService.generateMonth('2026-09', source, { issuedOn: '2026-10-02' })
    assert.equal(summary.created, 3)
    assert.equal(summary.withoutAmount, 1)
    assert.deepEqual(summary.problems, [])

    const invoiceA = await Invoice.query().where('family_id', a.family.id).where('month', '2026-09').firstOrFail()
    const lines = await InvoiceLine.query().where('invoice_id', invoiceA.id).orderBy('position')
    assert.deepEqual(
      lines.map((line) => [line.kind, line.childName, line.activityName, line.unit, line.quantity, line.unitPriceCents, line.totalCents]),
      [
        ['booking', 'Lya', 'Accueil de loisirs', 'day', 2, 360, 720],
        ['registration', 'Lya', 'Accueil de loisirs', null, 1, 1500, 1500],
        ['booking', 'Lya', 'Restauration scolaire', 'meal', 6, 305, 1830],
        ['late', 'Lya', 'Restauration scolaire', null, 1, 250, 250],
        ['booking', 'Maël', 'Restauration scolaire', 'meal', 4, 275, 1100],
        ['late', 'Maël', 'Restauration scolaire', null, 1, 250, 250],
      ]
    )
    assert.equal(invoiceA.totalCents, 5650)
    assert.equal(lines[2].label, 'Restauration scolaire — Lya : 6 repas (dont 1 absence non justifiée, 1 absence justifiée non facturée)')
    assert.equal(invoiceA.dueDate, '2026-10-31')
    assert.equal(invoiceA.issuedOn, '2026-10-02')
    assert.equal(invoiceA.familyQuotient, 1000)

    const invoiceB = await Invoice.query().where('family_id', b.family.id).firstOrFail()
    assert.equal(invoiceB.totalCents, 980)
    const invoiceC = await Invoice.query().where('family_id', c.family.id).firstOrFail()
    assert.equal(invoiceC.totalCents, 3 * 650 + 250)
    assert.isNull(await Invoice.query().where('family_id', d.family.id).first())
    assert.equal(summary.totalCents, 5650 + 980 + 2200)
  })

  test('numbers follow each other without gaps, per year; each invoice adds a history line and announces itself', async ({ assert }) => {
    const { source, a } = await fixtureMonth()
    const events: any[] = []
    const unsubscribe = emitter.on('billing:invoices-issued', (payload) => {
      events.push(...payload.invoices)
    })
    try {
      await invoiceService.generateMonth('2026-09', source, { issuedOn: '2026-10-02' })
    } finally {
      emitter.off('billing:invoices-issued', unsubscribe as any)
    }
    const invoices = await Invoice.query().where('month', '2026-09').orderBy('sequence')
    const first = invoices[0].sequence
    assert.deepEqual(
      invoices.map((invoice) => invoice.sequence),
      invoices.map((_, index) => first + index)
    )
    assert.match(invoices[0].number, /^2026-\d{6}$/)
    assert.lengthOf(events, 3)
    const eventA = events.find((event) => event.familyId === a.family.id)
    assert.containsSubset(eventA, { totalCents: 5650, dueDate: '2026-10-31', month: '2026-09' })
    assert.match(eventA.invoiceNumber, /^2026-\d{6}$/)
    const history = await HistoryEntry.query().where('family_id', a.family.id).where('module', 'billing')
    assert.lengthOf(history, 1)
    assert.include(history[0].text, `Facture n° ${eventA.invoiceNumber} de septembre 2026 : 56,50`)
  })

  test('running twice changes nothing; a later run only bills families not yet billed', async ({ assert }) => {
    const { source } = await fixtureMonth()
    await invoiceService.generateMonth('2026-09', source, { issuedOn: '2026-10-02' })
    const before = await db.from('invoices').where('month', '2026-09').orderBy('id')
    const lineCount = await db.from('invoice_lines').count('* as total')
    const again = await invoiceService.generateMonth('2026-09', source, { issuedOn: '2026-10-03' })
    assert.equal(again.created, 0)
    assert.equal(again.alreadyIssued, 3)
    assert.deepEqual(await db.from('invoices').where('month', '2026-09').orderBy('id'), before)
    assert.deepEqual(await db.from('invoice_lines').count('* as total'), lineCount)
    const sequence = await db.from('invoice_sequences').where({ kind: 'invoice', year: 2026 }).first()
    assert.equal(Number(sequence.last), Math.max(...before.map((row) => Number(row.sequence))))
  })

  test('a number taken in a transaction that rolls back is given back (no gap)', async ({ assert }) => {
    const taken = await db.transaction(async (trx) => nextNumber(trx, 'invoice', 2031))
    const trx = await db.transaction()
    const lost = await nextNumber(trx, 'invoice', 2031)
    await trx.rollback()
    const next = await db.transaction(async (client) => nextNumber(client, 'invoice', 2031))
    assert.equal(lost, taken + 1)
    assert.equal(next, taken + 1)
  })

  test('a missing tariff bills nothing for that family and says why; the run can be repeated after the fix', async ({ assert }) => {
    const free = await createActivity('Atelier sans tarif')
    const family = await createFamily({ quotient: 800 })
    const source = fixtureSource([{ familyId: family.family.id, childId: family.children[0].id, activityId: free.id, day: '2026-09-02', attendance: 'present', late: false }])
    const summary = await invoiceService.generateMonth('2026-09', source)
    assert.equal(summary.created, 0)
    assert.deepEqual(summary.problems, [{ familyId: family.family.id, message: 'Pas de tarif pour « Atelier sans tarif » au 2026-09-02.' }])
    await canteenTariff(free.id, '2026-09-01')
    assert.equal((await invoiceService.generateMonth('2026-09', source)).created, 1)
  })

  test('a tariff change applies from its date, splits the month, and never rewrites issued invoices', async ({ assert }) => {
    const canteen = await createActivity('Cantine')
    await canteenTariff(canteen.id, '2026-01-01')
    const family = await createFamily({ quotient: 1000 })
    const child = family.children[0]
    const booking = (date: string): BookedDay => ({ familyId: family.family.id, childId: child.id, activityId: canteen.id, day: date, attendance: 'present', late: false })
    await invoiceService.generateMonth('2026-09', fixtureSource([booking('2026-09-01'), booking('2026-09-02')]))
    const september = await Invoice.query().where('family_id', family.family.id).where('month', '2026-09').preload('lines').firstOrFail()
    assert.equal(september.totalCents, 610)

    // New grid from 15 October: 3.05 → 3.20 € for this QF.
    await canteenTariff(canteen.id, '2026-10-15', { brackets: [{ fromQf: 0, priceCents: 100 }, { fromQf: 860, priceCents: 320 }] })
    await invoiceService.generateMonth('2026-10', fixtureSource([booking('2026-10-01'), booking('2026-10-20'), booking('2026-10-21')]))
    const october = await Invoice.query().where('family_id', family.family.id).where('month', '2026-10').preload('lines').firstOrFail()
    assert.deepEqual(
      october.lines.map((line) => [line.quantity, line.unitPriceCents]),
      [
        [2, 320],
        [1, 305],
      ]
    )
    assert.equal(october.totalCents, 945)
    const unchanged = await Invoice.query().where('id', september.id).preload('lines').firstOrFail()
    assert.equal(unchanged.totalCents, 610)
    assert.deepEqual(unchanged.lines.map((line) => line.unitPriceCents), [305])
  })

  test('an invalid month is refused', async ({ assert }) => {
    await assert.rejects(() => invoiceService.generateMonth('2026-13', fixtureSource([])), /Mois invalide/)
  })
})

/*
 * Real concurrency needs real transactions (a global transaction would run both on one
 * connection, as savepoints): this group commits, then removes what it wrote.
 */
test.group('Invoice generation: two runs at once', (group) => {
  const created = { familyIds: [] as number[], userIds: [] as number[], activityIds: [] as number[] }
  group.teardown(() => removeCommitted(created))

  test('each invoice is issued once, numbers without gaps', async ({ assert }) => {
    const { source, a, b, c, d, canteen, leisure } = await fixtureMonth()
    for (const item of [a, b, c, d]) {
      created.familyIds.push(item.family.id)
      if (item.parent) created.userIds.push(item.parent.id)
    }
    created.activityIds.push(canteen.id, leisure.id)
    const [first, second] = await Promise.all([
      invoiceService.generateMonth('2026-09', source, { issuedOn: '2026-10-02' }),
      invoiceService.generateMonth('2026-09', source, { issuedOn: '2026-10-02' }),
    ])
    assert.equal(first.created + second.created, 3)
    assert.equal(first.alreadyIssued + second.alreadyIssued, 3)
    const ours = await Invoice.query().whereIn('family_id', created.familyIds).orderBy('sequence')
    assert.lengthOf(ours, 3)
    const all = await Invoice.query().where('year', 2026).orderBy('sequence')
    assert.deepEqual(
      all.map((invoice) => invoice.sequence),
      all.map((_, index) => all[0].sequence + index)
    )
    const counter = await db.from('invoice_sequences').where({ kind: 'invoice', year: 2026 }).first()
    assert.equal(Number(counter.last), all[all.length - 1].sequence)
  })
})
