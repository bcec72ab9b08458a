import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from '@japa/runner'
import { startSimulator, type RunningSimulator } from '#modules/billing/simulator/simulator'
import PayfipDriver from '#modules/billing/services/payment/payfip_driver'
import { PaymentProviderError } from '#modules/billing/services/payment/payment_driver'
import { createRequest, createResponse, plainObject, soapField, SoapMessage } from '#modules/billing/services/payment/payfip_soap'

const request = {
  year: 2026,
  email: 'parent@exemple.test',
  amountCents: 4520,
  object: 'Facture n° 2026-000042 — septembre 2026 (Lya & Maël)',
  reference: 'F2026000042',
  notifyUrl: 'http://127.0.0.1:1/facturation/paiement/notification',
  returnUrl: 'http://127.0.0.1:1/facturation/paiement/retour',
}

test.group('PayFiP driver against the simulator', (group) => {
  let simulator: RunningSimulator
  let driver: PayfipDriver
  group.setup(async () => {
    simulator = await startSimulator(0, { notify: false })
    driver = new PayfipDriver({ url: simulator.url, numcli: '123456', mode: 'T' })
    return () => simulator.close()
  })

  test('creerPaiementSecurise sends the nine fields; the page URL carries idop', async ({ assert }) => {
    const created = await driver.create(request)
    assert.match(created.idOp, /^[a-f0-9]{32}$/)
    assert.equal(created.paymentUrl, `${simulator.url}/tpa/paiementws.web?idop=${created.idOp}`)
    const stored = simulator.operations.get(created.idOp)!
    assert.deepEqual(stored.fields, {
      exer: '2026',
      mel: 'parent@exemple.test',
      montant: '4520',
      numcli: '123456',
      objet: 'Facture n 2026 000042 septembre 2026 Lya Mael',
      refdet: 'F2026000042',
      saisie: 'T',
      urlnotif: request.notifyUrl,
      urlredirect: request.returnUrl,
    })
  })

  test('recupererDetailPaiementSecurise: pending until decided, then P/V paid, R/Z refused, A abandoned', async ({ assert }) => {
    for (const [code, outcome, method] of [
      ['P', 'paid', 'card'],
      ['V', 'paid', 'debit'],
      ['R', 'refused', null],
      ['Z', 'refused', null],
      ['A', 'abandoned', null],
    ] as const) {
      const created = await driver.create({ ...request, reference: `R${code}${Date.now()}` })
      assert.equal((await driver.detail(created.idOp)).outcome, 'pending')
      await simulator.decide(created.idOp, code)
      const detail = await driver.detail(created.idOp)
      assert.equal(detail.outcome, outcome)
      assert.equal(detail.code, code)
      assert.equal(detail.method, method)
      assert.equal(detail.amountCents, 4520)
      assert.equal(detail.authorizationNumber !== null, outcome === 'paid')
    }
  })

  test('an idOp left 15 minutes without result reads as abandoned', async ({ assert }) => {
    const created = await driver.create({ ...request, reference: 'EXPIRED1' })
    simulator.operations.get(created.idOp)!.createdAt -= 16 * 60_000
    assert.equal((await driver.detail(created.idOp)).outcome, 'abandoned')
  })

  test('fields PayFiP refuses are refused before the call', async ({ assert }) => {
    for (const [change, code] of [
      [{ reference: 'F-2026-1' }, 'E6'],
      [{ reference: 'X'.repeat(31) }, 'E6'],
      [{ amountCents: 99 }, 'E3'],
      [{ amountCents: 10_000_001 }, 'E3'],
      [{ email: 'pas-une-adresse' }, 'E2'],
    ] as const) {
      const error = await driver.create({ ...request, ...change }).catch((e) => e)
      assert.instanceOf(error, PaymentProviderError)
      assert.equal(error.code, code)
    }
    const badNumcli = new PayfipDriver({ url: simulator.url, numcli: '12345', mode: 'T' })
    assert.equal((await badNumcli.create(request).catch((e) => e)).code, 'E4')
  })

  test('the simulator applies the same checks to a raw SOAP call, and an unknown idOp is a fault', async ({ assert }) => {
    const response = await fetch(`${simulator.url}/tpa/services/securite`, {
      method: 'POST',
      body: createRequest({ exer: '2026', mel: 'a@b.fr', montant: '50', numcli: '123456', objet: 'Facture', refdet: 'A1', saisie: 'T', urlnotif: 'http://x/n', urlredirect: 'http://x/r' }),
    })
    assert.equal(soapField(await response.text(), 'code'), 'E3')
    const error = await driver.detail('inconnu').catch((e) => e)
    assert.equal(error.code, 'P4')
  })

  test('objet: at most 100 plain characters', ({ assert }) => {
    assert.equal(plainObject('Été à l’école : 12 €'), 'Ete a l ecole 12')
    assert.lengthOf(plainObject('a'.repeat(150)), 100)
  })

  test('answers are read as XML: any prefix, entities, and nothing from a text that is not well-formed', ({ assert }) => {
    const answer = SoapMessage.parse(createResponse('a&b<c>'))
    assert.equal(answer.field('idOp'), 'a&b<c>')
    assert.isTrue(answer.has('creerPaiementSecuriseResponse'))
    assert.isNull(answer.field('resultrans'))
    assert.equal(SoapMessage.parse('<s:E xmlns:s="x"><r><objet> Caf&#233; &#xE9;t&#233; </objet><numauto/></r></s:E>').field('objet'), 'Café été')
    assert.equal(SoapMessage.parse('<E><numauto/></E>').field('numauto'), '')
    for (const broken of ['', 'Service indisponible', '<html><body>502', createResponse('abc').replace('</soapenv:Envelope>', '')]) {
      assert.isNull(SoapMessage.parse(broken).field('idOp'))
      assert.isFalse(SoapMessage.parse(broken).has('Fault'))
    }
  })

  test('a truncated answer is refused, not read in part', async ({ assert }) => {
    const server = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'text/xml' })
      response.end(createResponse('0123456789abcdef').slice(0, -20))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const broken = new PayfipDriver({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, numcli: '123456', mode: 'T' })
      const error = await broken.create(request).catch((e) => e)
      assert.instanceOf(error, PaymentProviderError)
      assert.equal(error.message, 'Réponse PayFiP sans idOp')
    } finally {
      server.close()
    }
  })
})
