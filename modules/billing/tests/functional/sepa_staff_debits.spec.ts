import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import mandateService from '#modules/billing/services/sepa/mandate_service'
import { familyWithInvoice } from '#modules/billing/tests/factories'
import { seedDebitMonth } from '#modules/billing/bench/debit_month_seed'
import { committedFixtures } from '#modules/billing/tests/fixtures'
import { validatePain008 } from '#modules/billing/tests/xmllint'
import { unpackXml } from '#modules/billing/services/stored_xml'
import { createUser } from '#tests/helpers/users'
import { CookieAgent } from '#modules/accounts/tests/helpers'

const inDays = (days: number) => DateTime.now().setZone('Europe/Paris').plus({ days }).toISODate()!
const PAGE = '/gestion/facturation/prelevements?month=2026-09'

test.group('Staff: the month’s SEPA debit batch on /gestion/facturation/prelevements', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('preview: families, amounts, sequence, total, exclusions with their reason; then the file, created once, downloaded', async ({ client, assert }) => {
    const debited = await familyWithInvoice(4, { mandate: {}, lastName: 'Prelevee' })
    const revoked = await familyWithInvoice(2, { mandate: {}, lastName: 'Revoquee' })
    await mandateService.revoke(revoked.family, { id: revoked.parent!.id, fullName: 'x' })
    const agent = await createUser('staff')

    const page = await client.get(PAGE).loginAs(agent)
    page.assertStatus(200)
    const html = page.text()
    assert.include(html, '<h1')
    assert.include(html, 'Prélèvements de septembre 2026')
    assert.include(html, 'Factures à prélever de septembre 2026 (aperçu)')
    assert.include(html, `>${debited.invoice.number}<`)
    assert.include(html, 'premier prélèvement (FRST)')
    assert.match(html, /Total : 1 prélèvement<\/th>\s*<td data-label="Total"><strong>12,20\s€<\/strong>/)
    assert.include(html, 'Factures écartées du prélèvement de septembre 2026')
    assert.include(html, "mandat révoqué depuis l&#x27;émission de la facture : elle se paie en ligne ou au guichet")
    assert.include(html, 'value="2026-11-10"')
    assert.include(html, 'CRÉER LE FICHIER DE PRÉLÈVEMENT')

    const tooSoon = await client.post('/gestion/facturation/prelevements/lots').form({ month: '2026-09', collectionDate: '2026-11-10' }).withCsrfToken().loginAs(agent).redirects(0)
    tooSoon.assertStatus(302)
    tooSoon.assertValidationError('collectionDate', `La date de prélèvement du 10/11/2026 est trop proche : au plus tôt le ${DateTime.fromISO(inDays(2)).toFormat('dd/MM/yyyy')} (la banque doit recevoir le fichier 2 jours avant).`)
    const shown = await client.get(PAGE).loginAs(agent).withFlashMessages(tooSoon.flashMessages())
    assert.include(shown.text(), 'class="error-summary"')
    assert.include(shown.text(), 'aria-invalid="true"')
    assert.include(shown.text(), 'value="2026-11-10"')
    assert.lengthOf(await db.from('sepa_debit_batches'), 0)

    const date = inDays(4)
    const create = () => client.post('/gestion/facturation/prelevements/lots').form({ month: '2026-09', collectionDate: date }).withCsrfToken().loginAs(agent).redirects(0)
    const created = await create()
    created.assertStatus(302)
    assert.equal(created.header('location'), PAGE)
    assert.equal((created.flashMessages() as any).alert.success, 'Fichier de prélèvement de septembre 2026 créé : 1 prélèvement pour 12,20\u00a0€. Téléchargez-le et transmettez-le à la banque.')
    const again = await create()
    assert.equal((again.flashMessages() as any).alert.info, "Le fichier de prélèvement de septembre 2026 existait déjà (1 prélèvement pour 12,20\u00a0€) : rien n'est envoyé deux fois.")
    const batches = await db.from('sepa_debit_batches')
    assert.lengthOf(batches, 1)

    const after = await client.get(PAGE).loginAs(agent)
    assert.include(after.text(), `Fichier ${batches[0].message_id} créé le`)
    assert.include(after.text(), 'TÉLÉCHARGER LE FICHIER (pain.008)')
    assert.notInclude(after.text(), 'CRÉER LE FICHIER DE PRÉLÈVEMENT')
    const download = await client.get(`/gestion/facturation/prelevements/lots/${batches[0].id}/fichier`).loginAs(agent)
    download.assertStatus(200)
    download.assertHeader('content-disposition', 'attachment; filename="prelevements-sepa-2026-09.xml"')
    assert.match(download.header('content-type')!, /^application\/xml/)
    assert.equal(download.text(), await unpackXml(batches[0].xml))
    const result = validatePain008(download.text())
    assert.isTrue(result.valid, result.output)

    const staffInvoice = await client.get(`/gestion/facturation/factures/${debited.invoice.id}`).loginAs(agent)
    assert.include(staffInvoice.text(), 'le prélèvement de cette facture est déjà transmis à la banque')
    const invoicePage = await client.get(`/facturation/${debited.invoice.id}`).loginAs(debited.parent!)
    assert.include(invoicePage.text(), `Le prélèvement de cette facture est transmis à la banque : 12,20\u00a0€ prélevés le ${DateTime.fromISO(date).toFormat('dd/MM/yyyy')}`)
    const pay = await client.post(`/facturation/${debited.invoice.id}/payer`).withCsrfToken().loginAs(debited.parent!).redirects(0)
    assert.match((pay.flashMessages() as any).alert.error, /^Le prélèvement de cette facture \(12,20\s€ le \d{2}\/\d{2}\/\d{4}\) est déjà transmis à la banque : elle ne peut pas être payée en ligne\.$/)
  })

  test('a parent is refused the page, the creation and the download; CSRF is required', async ({ client, assert }) => {
    const { parent } = await familyWithInvoice(2, { mandate: {} })
    ;(await client.get(PAGE).loginAs(parent!)).assertStatus(403)
    ;(await client.post('/gestion/facturation/prelevements/lots').form({ month: '2026-09', collectionDate: inDays(4) }).withCsrfToken().loginAs(parent!).redirects(0)).assertStatus(403)
    const agent = await createUser('staff')
    const noToken = await client.post('/gestion/facturation/prelevements/lots').form({ month: '2026-09', collectionDate: inDays(4) }).loginAs(agent).redirects(0)
    assert.notEqual(noToken.status(), 302)
    assert.lengthOf(await db.from('sepa_debit_batches'), 0)
    await client.post('/gestion/facturation/prelevements/lots').form({ month: '2026-09', collectionDate: inDays(4) }).withCsrfToken().loginAs(agent).redirects(0)
    const batch = await db.from('sepa_debit_batches').firstOrFail()
    ;(await client.get(`/gestion/facturation/prelevements/lots/${batch.id}/fichier`).loginAs(parent!)).assertStatus(403)
    ;(await client.get(`/gestion/facturation/prelevements/lots/${batch.id + 1000}/fichier`).loginAs(agent)).assertStatus(404)
  })

  test('a month without debit says so; a wrong month is refused beside the field', async ({ client, assert }) => {
    const agent = await createUser('staff')
    const page = await client.get('/gestion/facturation/prelevements?month=1999-01').loginAs(agent)
    assert.include(page.text(), 'Aucune facture à prélever de janvier 1999.')
    const wrong = await client.post('/gestion/facturation/prelevements/lots').form({ month: '1999-1' }).withCsrfToken().loginAs(agent).redirects(0)
    wrong.assertValidationError('month', 'Mois invalide : format attendu AAAA-MM (par exemple 2026-09).')
    const empty = await client.post('/gestion/facturation/prelevements/lots').form({ month: '1999-01' }).withCsrfToken().loginAs(agent).redirects(0)
    assert.equal((empty.flashMessages() as any).alert.error, 'Rien à prélever pour janvier 1999 : aucune facture de ce mois n’est payée par prélèvement.')
  })

  test('a commune’s month: the preview and the file’s lines go 100 a page, the file itself is not read for the page', async ({ client, assert }) => {
    await seedDebitMonth(db.connection(), { families: 250, month: '2097-07', debitOn: inDays(12), prefix: 'Page' })
    const agent = await createUser('staff')
    const url = '/gestion/facturation/prelevements?month=2097-07'
    const invoiceNumbers = (html: string) => [...html.matchAll(/data-label="Facture"><a [^>]*>([^<]+)<\/a>/g)].map((match) => match[1])
    const numbers = (await db.from('invoices').where('month', '2097-07').orderBy('sequence').select('number')).map((row) => row.number)

    const first = await client.get(url).loginAs(agent)
    first.assertStatus(200)
    assert.deepEqual(invoiceNumbers(first.text()), numbers.slice(0, 100))
    assert.match(first.text(), /Total : 250 prélèvements<\/th>/)
    assert.include(first.text(), 'aria-label="Pages des factures à prélever"')
    assert.include(first.text(), 'month=2097-07&amp;page=1&amp;prelevements=3')
    const third = await client.get(`${url}&prelevements=3`).loginAs(agent)
    assert.deepEqual(invoiceNumbers(third.text()), numbers.slice(200))

    const { default: debitBatchService } = await import('#modules/billing/services/sepa/debit_batch_service')
    await debitBatchService.create('2097-07', { collectionDate: inDays(12) })
    const sent = await client.get(`${url}&prelevements=2`).loginAs(agent)
    assert.include(sent.text(), 'aria-label="Pages des prélèvements"')
    assert.deepEqual(invoiceNumbers(sent.text()), numbers.slice(100, 200))
    assert.notInclude(sent.text(), '<Document')
  })
})

const committed = committedFixtures()

test.group('Staff: CRÉER LE FICHIER clicked twice at the same instant', (group) => {
  group.teardown(() => committed.remove())

  test('two concurrent POSTs make one batch', async ({ assert }) => {
    await committed.familyWithInvoice(3, { mandate: {}, lastName: 'Double clic' })
    const agent = await createUser('staff')
    committed.created.userIds.push(agent.id)
    const browser = new CookieAgent()
    const login = await browser.post('/connexion', { username: agent.username, password: 'Un-Mot-De-Passe-Solide-2026' })
    assert.equal(login.status, 302)
    const page = await browser.get(PAGE)
    assert.equal(page.status, 200)
    const csrf = /name=['"]_csrf['"] value=['"]([^'"]+)['"]/.exec(page.text)![1]
    const cookie = [...browser.jar].map(([name, value]) => `${name}=${value}`).join('; ')
    const statuses = await Promise.all(
      [1, 2].map(() =>
        fetch(`${browser.base}/gestion/facturation/prelevements/lots`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf, month: '2026-09', collectionDate: inDays(4) }).toString(),
          redirect: 'manual',
        }).then((response) => response.status)
      )
    )
    assert.deepEqual(statuses, [302, 302])
    const batches = await db.from('sepa_debit_batches').where('month', '2026-09')
    assert.lengthOf(batches, 1)
    assert.lengthOf(await db.from('sepa_debit_lines').where('batch_id', batches[0].id), 1)
    assert.lengthOf(await db.from('audit_logs').where({ action: 'billing.sepa_debit_batch.created', subject_id: String(batches[0].id) }), 1)
  })
})
