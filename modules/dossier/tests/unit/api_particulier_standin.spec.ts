import { test } from '@japa/runner'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startApiParticulierStandin, type RunningStandin } from '#modules/dossier/api_particulier/standin'
import { FRANCECONNECT_QUOTIENT_PATH, QUOTIENT_PATH } from '#modules/dossier/api_particulier/config'
import { QUOTIENT_CASES } from '#modules/dossier/api_particulier/test_cases'
import { quotientQuery } from '#modules/dossier/api_particulier/client'

const ROUX = 'recipient=21060004200019&nomNaissance=ROUX&prenoms[]=JEANNE&prenoms[]=STEPHANIE&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=08480&anneeDateNaissance=1987&moisDateNaissance=6'

test.group('API Particulier stand-in: the published contract', (group) => {
  let standin: RunningStandin
  group.setup(async () => {
    standin = await startApiParticulierStandin(0, { token: 'jeton', now: () => new Date('2026-03-15T12:00:00Z') })
    return () => standin.close()
  })
  const get = (query: string, headers: Record<string, string> = { authorization: 'Bearer jeton' }) => fetch(`${standin.url}${QUOTIENT_PATH}?${query}`, { headers })

  test('a published identity: 200, the QF of the month asked, 24 h cache headers, then served from the cache', async ({ assert }) => {
    const first = await get(`${ROUX}&annee=2025&mois=5`)
    assert.equal(first.status, 200)
    assert.equal(first.headers.get('cache-control'), 'private, max-age=86400')
    assert.equal(first.headers.get('x-response-cached'), 'false')
    const body: any = await first.json()
    assert.deepInclude(body.data.quotient_familial, { fournisseur: 'MSA', valeur: 150, annee: 2025, mois: 5 })
    assert.lengthOf(body.data.allocataires, 2)
    assert.lengthOf(body.data.enfants, 2)
    const second = await get(`${ROUX}&annee=2025&mois=5`)
    assert.equal(second.headers.get('x-response-cached'), 'true')
    const bypass = await get(`${ROUX}&annee=2025&mois=5`, { 'authorization': 'Bearer jeton', 'cache-control': 'no-cache' })
    assert.equal(bypass.headers.get('x-response-cached'), 'false')
  })

  test('errors with their published bodies: 401 bad token, 404 not found, 400 future month or missing commune, 429 with Retry-After', async ({ assert }) => {
    const unauthorized = await get(ROUX, { authorization: 'Bearer autre' })
    assert.equal(unauthorized.status, 401)
    assert.equal(((await unauthorized.json()) as any).errors[0].code, '00101')
    const missing = await get(ROUX.replace('DateNaissance=1987', 'DateNaissance=1990'))
    assert.equal(missing.status, 404)
    assert.equal(((await missing.json()) as any).errors[0].code, '37003')
    assert.equal((await get(`${ROUX}&annee=2026&mois=4`)).status, 400)
    assert.equal((await get(ROUX.replace('&codeCogInseeCommuneNaissance=08480', ''))).status, 400)
    const tooMany = await get('recipient=21060004200019&nomNaissance=DESFOUIN&prenoms[]=René&sexeEtatCivil=M&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=08480')
    assert.equal(tooMany.status, 429)
    assert.equal(tooMany.headers.get('retry-after'), '1')
    assert.equal(((await tooMany.json()) as any).errors[0].code, '00429')
  })
})

test.group('API Particulier stand-in: the published test cases', (group) => {
  let standin: RunningStandin
  group.setup(async () => {
    standin = await startApiParticulierStandin(0, { token: 'jeton' })
    return () => standin.close()
  })

  test('QF {$self} answered for its published identity')
    .with([150, 300, 424, 600, 650, 846, 954, 2550])
    .run(async ({ assert }, value) => {
      const known = QUOTIENT_CASES.find((candidate) => candidate.valeur === value)
      assert.exists(known, `QF ${value} among the test cases`)
      const { identity } = known!
      const query = quotientQuery({ birthName: identity.nomNaissance, firstNames: identity.prenoms, sex: identity.sexe, birthDate: identity.dateNaissance, birthCountryCode: identity.paysNaissance, birthCommuneCode: identity.communeNaissance }, '21060004200019')
      const response = await fetch(`${standin.url}${QUOTIENT_PATH}?${query}`, { headers: { authorization: 'Bearer jeton' } })
      assert.equal(response.status, 200)
      const body: any = await response.json()
      assert.equal(body.data.quotient_familial.valeur, value)
      assert.equal(body.data.quotient_familial.fournisseur, value === 150 ? 'MSA' : 'CNAF')
    })
})

/** A FranceConnect that knows one access token (its userinfo a signed JWT, as FranceConnect's). */
async function fakeFranceConnect(token: string, person: Record<string, string>) {
  const server = createServer((request, response) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    if (request.url === '/api/v2/.well-known/openid-configuration') {
      response.writeHead(200, { 'content-type': 'application/json' })
      return response.end(JSON.stringify({ issuer: `${base}/api/v2`, userinfo_endpoint: `${base}/api/v2/userinfo` }))
    }
    if (request.url === '/api/v2/userinfo' && request.headers.authorization === `Bearer ${token}`) {
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
      response.writeHead(200, { 'content-type': 'application/jwt; charset=utf-8' })
      return response.end(`${part({ alg: 'ES256' })}.${part({ sub: 'abc123v1', ...person })}.signature`)
    }
    response.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' })
    response.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return { issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

test.group('API Particulier stand-in: /france_connect, the token checked at FranceConnect', (group) => {
  let standin: RunningStandin
  let franceconnect: Awaited<ReturnType<typeof fakeFranceConnect>>
  group.setup(async () => {
    franceconnect = await fakeFranceConnect('jeton-franceconnect', { given_name: 'Angela Claire Louise', family_name: 'DUBOIS', birthdate: '1962-08-24' })
    standin = await startApiParticulierStandin(0, { token: 'jeton', franceconnectIssuer: franceconnect.issuer, now: () => new Date('2026-03-15T12:00:00Z') })
    return async () => {
      await standin.close()
      await franceconnect.close()
    }
  })
  const get = (query: string, bearer: string) => fetch(`${standin.url}${FRANCECONNECT_QUOTIENT_PATH}?${query}`, { headers: { authorization: `Bearer ${bearer}` } })

  test('a token FranceConnect knows: the QF of its person, of the month asked', async ({ assert }) => {
    const response = await get('recipient=21060004200019&annee=2026&mois=2', 'jeton-franceconnect')
    assert.equal(response.status, 200)
    assert.deepInclude(((await response.json()) as any).data.quotient_familial, { fournisseur: 'CNAF', valeur: 4270, annee: 2026, mois: 2 })
    const call = standin.calls.at(-1)!
    assert.equal(call.path, FRANCECONNECT_QUOTIENT_PATH)
    assert.equal(call.bearer, 'franceconnect')
  })

  test('an unknown or expired token, or the commune’s token: 401 00101; no recipient: 400; a future month: 400', async ({ assert }) => {
    for (const bearer of ['inconnu', 'jeton']) {
      const refused = await get('recipient=21060004200019', bearer)
      assert.equal(refused.status, 401)
      assert.equal(((await refused.json()) as any).errors[0].code, '00101')
    }
    assert.equal((await get('annee=2026&mois=2', 'jeton-franceconnect')).status, 400)
    assert.equal((await get('recipient=21060004200019&annee=2026&mois=4', 'jeton-franceconnect')).status, 400)
  })
})
