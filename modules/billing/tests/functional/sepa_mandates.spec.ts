import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import SepaMandate from '#modules/billing/models/sepa_mandate'
import mandateService from '#modules/billing/services/sepa/mandate_service'
import { createFamily } from '#modules/billing/tests/factories'
import { createUser } from '#tests/helpers/users'
import invoiceService from '#modules/billing/services/invoice_service'
import type { ApiClient } from '@japa/api-client'
import type { User } from '#modules/accounts/index'
import { CookieAgent } from '#modules/accounts/tests/helpers'
import { committedFixtures } from '#modules/billing/tests/fixtures'

const IBAN = 'FR76 3000 6000 0112 3456 7890 189'
const IBAN_RAW = 'FR7630006000011234567890189'
const OTHER_IBAN = 'DE89 3704 0044 0532 0130 00'
const MASKED = 'FR76 •••• •••• •••• •••• •••• 189'

function sign(client: ApiClient, parent: User, fields: Record<string, string>) {
  return client.post('/facturation/prelevement').form(fields).withCsrfToken().loginAs(parent).redirects(0)
}

const valid = { holderName: 'Camille Martin', iban: IBAN, bic: 'BNPAFRPP', consent: 'on' }

async function traces(familyId: number) {
  const history = await db.from('family_history_entries').where('family_id', familyId).where('module', 'billing').orderBy('id')
  const audit = await db.from('audit_logs').where({ subject_type: 'family', subject_id: String(familyId) }).where('action', 'like', 'billing.sepa_mandate.%').orderBy('id')
  return { history, audit }
}

test.group('SEPA mandates: parents sign, change and revoke; staff list', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a parent signs: RUM shown, IBAN encrypted at rest, masked on the page, history and audit without the clear IBAN', async ({ client, assert }) => {
    const { parent, family } = await createFamily()
    const empty = await client.get('/facturation/prelevement').loginAs(parent!)
    empty.assertStatus(200)
    assert.include(empty.text(), '<h1')
    assert.include(empty.text(), 'Prélèvement automatique')
    assert.include(empty.text(), 'SIGNER LE MANDAT')
    assert.include(empty.text(), 'FR72ZZZ123456')
    assert.include(empty.text(), 'Type de paiement')
    assert.include(empty.text(), '8 semaines')

    const response = await sign(client, parent!, valid)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/facturation/prelevement')
    const mandates = await SepaMandate.query().where('family_id', family.id)
    assert.lengthOf(mandates, 1)
    const mandate = mandates[0]
    assert.equal(mandate.status, 'active')
    assert.equal(mandate.sequence, 'FRST')
    assert.equal(mandate.bic, 'BNPAFRPP')
    assert.equal(mandate.holderName, 'Camille Martin')
    assert.equal(mandate.signedByUserId, parent!.id)
    assert.match(mandate.rum, new RegExp(`^${family.reference.toUpperCase()}-\\d{8}-01$`))
    assert.isAtMost(mandate.rum.length, 35)
    const flash = response.flashMessages() as any
    assert.include(flash.alert.success, mandate.rum)

    const raw = await db.from('sepa_mandates').where('id', mandate.id).firstOrFail()
    for (const value of Object.values(raw)) assert.notInclude(String(value), IBAN_RAW.slice(4, 20))
    assert.equal(raw.iban_masked, MASKED)
    assert.equal(mandateService.iban(mandate), IBAN_RAW)

    const page = await client.get('/facturation/prelevement').loginAs(parent!)
    assert.include(page.text(), mandate.rum)
    assert.include(page.text(), MASKED)
    assert.include(page.text(), 'Camille Martin')
    assert.include(page.text(), 'Changer de compte')
    assert.include(page.text(), 'RÉVOQUER LE MANDAT')
    assert.notInclude(page.text(), IBAN_RAW.slice(4, 20))
    assert.match(page.text(), /Signé le<\/dt><dd>\d{2}\/\d{2}\/\d{4} à \d{2}:\d{2} \(heure de Paris\)/)

    const invoices = await client.get('/facturation').loginAs(parent!)
    assert.include(invoices.text(), 'href="/facturation/prelevement"')
    assert.include(invoices.text(), MASKED)

    const { history, audit } = await traces(family.id)
    assert.lengthOf(history, 1)
    assert.include(history[0].text, mandate.rum)
    assert.include(history[0].text, MASKED)
    assert.lengthOf(audit, 1)
    assert.equal(audit[0].action, 'billing.sepa_mandate.signed')
    assert.equal(audit[0].actor_id, parent!.id)
    for (const text of [history[0].text, audit[0].details]) {
      assert.notInclude(text, IBAN_RAW)
      assert.notInclude(text.replace(/\s/g, ''), IBAN_RAW.slice(4, 20))
    }
  })

  test('a wrong IBAN is refused beside the field in French, the input kept, nothing written', async ({ client, assert }) => {
    const { parent, family } = await createFamily()
    const short = await sign(client, parent!, { ...valid, iban: 'FR76 3000 6000 0112 3456 7890 18' })
    short.assertStatus(302)
    short.assertValidationError('iban', "L'IBAN doit compter 27 caractères pour la France (FR) : vous en avez saisi 26.")
    const checksum = await sign(client, parent!, { ...valid, iban: 'FR76 3000 6000 0112 3456 7890 188' })
    checksum.assertValidationError('iban', "La clé de contrôle de l'IBAN est fausse : vérifiez chaque caractère.")
    const foreign = await sign(client, parent!, { ...valid, iban: 'US12 3456 7890 1234 5678 90' })
    assert.match((foreign.flashMessages() as any).inputErrorsBag.iban[0], /^Ce pays \(US\) n'est pas dans la zone SEPA/)
    const bic = await sign(client, parent!, { ...valid, bic: 'COBADEFF' })
    assert.match((bic.flashMessages() as any).inputErrorsBag.bic[0], /^Ce BIC est celui d'une banque de l'Allemagne \(DE\)/)
    assert.lengthOf(await SepaMandate.query().where('family_id', family.id), 0)

    const page = await client.get('/facturation/prelevement').loginAs(parent!).withFlashMessages(short.flashMessages())
    assert.match(
      page.text(),
      /<p class="field__error" id="field-iban-error"><span class="visually-hidden">Erreur : <\/span>L&#x27;IBAN doit compter 27 caractères pour la France \(FR\) : vous en avez saisi 26\.<\/p>/
    )
    assert.include(page.text(), 'value="FR76 3000 6000 0112 3456 7890 18"')
    assert.include(page.text(), 'value="Camille Martin"')
    assert.include(page.text(), 'aria-invalid="true"')
    assert.include(page.text(), 'class="error-summary"')
    const { history, audit } = await traces(family.id)
    assert.lengthOf(history, 0)
    assert.lengthOf(audit, 0)
  })

  test('without the consent ticked nothing is signed', async ({ client, assert }) => {
    const { parent, family } = await createFamily()
    const withoutConsent: Record<string, string> = { ...valid }
    delete withoutConsent.consent
    const response = await sign(client, parent!, withoutConsent)
    response.assertStatus(302)
    response.assertValidationError('consent', 'Cochez la case pour signer le mandat.')
    assert.lengthOf(await SepaMandate.query().where('family_id', family.id), 0)
  })

  test('changing account: the old mandate is replaced, the new one active with a new RUM, one active only', async ({ client, assert }) => {
    const { parent, family } = await createFamily()
    await sign(client, parent!, valid)
    const first = await SepaMandate.query().where('family_id', family.id).firstOrFail()
    const same = await sign(client, parent!, { ...valid, iban: IBAN.toLowerCase() })
    same.assertValidationError('iban', 'Ce compte est déjà celui de votre mandat actif : pour changer de compte, saisissez l’IBAN du nouveau compte.')
    assert.lengthOf(await SepaMandate.query().where('family_id', family.id), 1)
    const change = await sign(client, parent!, { holderName: 'Camille et Sam Martin', iban: OTHER_IBAN, consent: 'on' })
    change.assertStatus(302)
    const mandates = await SepaMandate.query().where('family_id', family.id).orderBy('id')
    assert.lengthOf(mandates, 2)
    assert.equal(mandates[0].status, 'replaced')
    assert.equal(mandates[0].replacedById, mandates[1].id)
    assert.equal(mandates[0].endedByUserId, parent!.id)
    assert.isNotNull(mandates[0].endedAt)
    assert.equal(mandates[1].status, 'active')
    assert.equal(mandates[1].sequence, 'FRST')
    assert.isNull(mandates[1].bic)
    assert.notEqual(mandates[1].rum, first.rum)
    assert.match(mandates[1].rum, /-02$/)
    assert.lengthOf(await SepaMandate.query().where('family_id', family.id).where('status', 'active'), 1)
    const page = await client.get('/facturation/prelevement').loginAs(parent!)
    const [card, list] = page.text().split('Vos mandats signés')
    assert.include(card, 'DE89 •••• •••• •••• ••30 00')
    assert.notInclude(card, MASKED)
    // The old mandate stays listed, ended, with its signed PDF (the proof).
    assert.match(list, new RegExp(`${first.rum}</td>[\\s\\S]*?${MASKED}</span></td>\\s*<td data-label="État">terminé : remplacé le \\d{2}/\\d{2}/\\d{4}</td>`))
    assert.include(list, `Mandat SEPA ${first.rum} (PDF)`)
    const { history, audit } = await traces(family.id)
    assert.lengthOf(history, 2)
    assert.include(history[1].text, `remplace le mandat ${first.rum}`)
    assert.deepEqual(audit.map((row) => row.action), ['billing.sepa_mandate.signed', 'billing.sepa_mandate.replaced'])
  })

  test('revoking needs the confirmation, then the mandate is revoked and the form offered again', async ({ client, assert }) => {
    const { parent, family } = await createFamily()
    await sign(client, parent!, valid)
    const unconfirmed = await client.post('/facturation/prelevement/revocation').form({}).withCsrfToken().loginAs(parent!).redirects(0)
    unconfirmed.assertValidationError('confirm', 'Cochez la case pour confirmer la révocation du mandat.')
    assert.equal((await SepaMandate.query().where('family_id', family.id).firstOrFail()).status, 'active')

    const revoked = await client.post('/facturation/prelevement/revocation').form({ confirm: 'on' }).withCsrfToken().loginAs(parent!).redirects(0)
    revoked.assertStatus(302)
    const mandate = await SepaMandate.query().where('family_id', family.id).firstOrFail()
    assert.equal(mandate.status, 'revoked')
    assert.equal(mandate.endedByUserId, parent!.id)
    assert.include((revoked.flashMessages() as any).alert.success, 'révoqué')
    const page = await client.get('/facturation/prelevement').loginAs(parent!)
    assert.include(page.text(), 'SIGNER LE MANDAT')
    assert.notInclude(page.text(), 'RÉVOQUER LE MANDAT')
    const { history, audit } = await traces(family.id)
    assert.include(history[1].text, 'révoqué')
    assert.notInclude(history[1].text, IBAN_RAW)
    assert.equal(audit[1].action, 'billing.sepa_mandate.revoked')

    const again = await client.post('/facturation/prelevement/revocation').form({ confirm: 'on' }).withCsrfToken().loginAs(parent!).redirects(0)
    assert.equal((again.flashMessages() as any).alert.info, "Vous n'avez pas de mandat de prélèvement actif.")
  })

  test("another family's parent neither sees nor touches the mandate; a visitor goes to the login; staff cannot sign", async ({ client, assert }) => {
    const { parent, family } = await createFamily()
    const other = await createFamily({ lastName: 'Autre' })
    await sign(client, parent!, valid)
    const mandate = await SepaMandate.query().where('family_id', family.id).firstOrFail()

    const otherPage = await client.get('/facturation/prelevement').loginAs(other.parent!)
    assert.notInclude(otherPage.text(), mandate.rum)
    assert.notInclude(otherPage.text(), MASKED)
    assert.include(otherPage.text(), 'SIGNER LE MANDAT')
    await client.post('/facturation/prelevement/revocation').form({ confirm: 'on' }).withCsrfToken().loginAs(other.parent!).redirects(0)
    assert.equal((await SepaMandate.findOrFail(mandate.id)).status, 'active')
    await sign(client, other.parent!, { ...valid, iban: OTHER_IBAN, bic: '' })
    assert.equal((await SepaMandate.findOrFail(mandate.id)).status, 'active')
    assert.lengthOf(await SepaMandate.query().where('family_id', other.family.id).where('status', 'active'), 1)

    for (const url of ['/facturation/prelevement']) {
      const visitor = await client.get(url).redirects(0)
      visitor.assertStatus(302)
      assert.match(visitor.header('location') ?? '', /\/connexion/)
    }
    const visitorPost = await client.post('/facturation/prelevement').form(valid).withCsrfToken().redirects(0)
    assert.oneOf(visitorPost.status(), [302, 403])
    const agent = await createUser('staff')
    const agentPage = await client.get('/facturation/prelevement').loginAs(agent)
    assert.include(agentPage.text(), 'rattaché à votre compte')
    assert.notInclude(agentPage.text(), 'SIGNER LE MANDAT')
    ;(await sign(client, agent, valid)).assertStatus(403)
    assert.lengthOf(await SepaMandate.query().where('status', 'active').whereIn('family_id', [family.id, other.family.id]), 2)
  })

  test('the staff list: masked IBANs, status in words, filter, link to the family file; refused to parents', async ({ client, assert }) => {
    const { parent, family } = await createFamily()
    await sign(client, parent!, valid)
    await sign(client, parent!, { ...valid, iban: OTHER_IBAN, bic: '' })
    const agent = await createUser('staff')
    const page = await client.get('/gestion/facturation/prelevements').loginAs(agent)
    page.assertStatus(200)
    assert.include(page.text(), 'Mandats de prélèvement SEPA')
    assert.include(page.text(), MASKED)
    assert.include(page.text(), 'DE89 •••• •••• •••• ••30 00')
    assert.notInclude(page.text(), IBAN_RAW.slice(4, 20))
    assert.include(page.text(), `href="/gestion/familles/${family.id}"`)
    assert.match(page.text(), />actif</)
    assert.match(page.text(), />remplacé le \d{2}\/\d{2}\/\d{4}</)
    assert.include(page.text(), 'premier prélèvement (FRST)')
    // Each row links to its signed PDF in the family's documents, ended mandates too.
    for (const mandate of await SepaMandate.query().where('family_id', family.id)) {
      assert.include(page.text(), `href="/gestion/familles/${family.id}/documents/${mandate.documentId}/telecharger">PDF<span class="visually-hidden"> du mandat ${mandate.rum}</span></a>`)
    }

    const active = await client.get('/gestion/facturation/prelevements?statut=actifs').loginAs(agent)
    assert.include(active.text(), 'DE89 •••• •••• •••• ••30 00')
    assert.notInclude(active.text(), MASKED)
    const replaced = await client.get('/gestion/facturation/prelevements?statut=remplaces').loginAs(agent)
    assert.include(replaced.text(), MASKED)
    assert.notInclude(replaced.text(), 'DE89 •••• •••• •••• ••30 00')
    const revoked = await client.get('/gestion/facturation/prelevements?statut=revoques').loginAs(agent)
    assert.include(revoked.text(), 'Aucun mandat dans cet état.')

    const index = await client.get('/gestion/facturation').loginAs(agent)
    assert.include(index.text(), 'href="/gestion/facturation/prelevements"')
    ;(await client.get('/gestion/facturation/prelevements').loginAs(parent!)).assertStatus(403)
  })

  test('without a creditor identifier (ICS) direct debit is not offered and nothing can be signed', async ({ client, assert, cleanup }) => {
    const saved = process.env.SEPA_CREDITOR_ID
    delete process.env.SEPA_CREDITOR_ID
    cleanup(() => {
      process.env.SEPA_CREDITOR_ID = saved
    })
    const { parent, family } = await createFamily()
    const page = await client.get('/facturation/prelevement').loginAs(parent!)
    page.assertStatus(200)
    assert.include(page.text(), 'La commune ne propose pas le prélèvement automatique')
    assert.notInclude(page.text(), 'SIGNER LE MANDAT')
    const invoices = await client.get('/facturation').loginAs(parent!)
    assert.notInclude(invoices.text(), 'href="/facturation/prelevement"')
    const response = await sign(client, parent!, valid)
    response.assertStatus(302)
    assert.lengthOf(await SepaMandate.query().where('family_id', family.id), 0)
    const agent = await createUser('staff')
    const staff = await client.get('/gestion/facturation/prelevements').loginAs(agent)
    assert.include(staff.text(), "aucun identifiant créancier SEPA (ICS) n'est configuré")
  })

  test('the database refuses a second active mandate; a family with a mandate is kept by families:purge', async ({ assert }) => {
    const { parent, family } = await createFamily()
    assert.isNull(await invoiceService.retentionReason(family.id))
    const mandate = await mandateService.sign(family, { id: parent!.id, fullName: parent!.fullName }, { holderName: 'Camille Martin', iban: IBAN_RAW })
    assert.equal(await invoiceService.retentionReason(family.id), '1 mandat de prélèvement SEPA conservé comme preuve')
    // Another family whose reference reads the same in capitals and digits gets the next counter.
    const twin = await createFamily({ lastName: 'Jumeau' })
    twin.family.reference = family.reference.toLowerCase().replace(/^(.)/, '$1-')
    await twin.family.save()
    const twinMandate = await mandateService.sign(twin.family, { id: twin.parent!.id, fullName: 'Jumeau' }, { holderName: 'Jumeau', iban: IBAN_RAW })
    assert.equal(twinMandate.rum, mandate.rum.replace(/-01$/, '-02'))
    const copy = { ...(await db.from('sepa_mandates').where('id', mandate.id).firstOrFail()), rum: 'AUTRE-RUM-01' }
    delete copy.id
    // Last: on PostgreSQL the refused insert ends the test's transaction.
    await assert.rejects(() => db.table('sepa_mandates').insert(copy))
  })
})

/*
 * Committed rows, no global transaction: the clicks reach the database concurrently, as in
 * production (several connections on PostgreSQL).
 */
const committed = committedFixtures()

test.group('SEPA mandates: SIGNER clicked several times at once', (group) => {
  group.teardown(() => committed.remove())

  test('5 concurrent signatures of the same account from one session make ONE active mandate', async ({ assert }) => {
    const { family, parent } = await committed.familyWithInvoice(4, { lastName: 'Mandat' })
    const browser = new CookieAgent()
    const login = await browser.post('/connexion', { username: parent!.username, password: 'Un-Mot-De-Passe-Solide-2026' })
    assert.equal(login.status, 302)
    const page = await browser.get('/facturation/prelevement')
    assert.equal(page.status, 200)
    const csrf = /name=['"]_csrf['"] value=['"]([^'"]+)['"]/.exec(page.text)![1]
    const cookie = [...browser.jar].map(([name, value]) => `${name}=${value}`).join('; ')

    const statuses = await Promise.all(
      Array.from({ length: 5 }, () =>
        fetch(`${browser.base}/facturation/prelevement`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf, ...valid }).toString(),
          redirect: 'manual',
        }).then((response) => response.status)
      )
    )
    assert.deepEqual(statuses, [302, 302, 302, 302, 302])
    const mandates = await SepaMandate.query().where('family_id', family.id)
    assert.lengthOf(mandates, 1)
    assert.equal(mandates[0].status, 'active')
    const { history, audit } = await traces(family.id)
    assert.lengthOf(history.filter((line) => line.kind === 'sepa-mandate-signed'), 1)
    assert.lengthOf(audit, 1)
  })
})
