import { test } from '@japa/runner'
import { startApiParticulierStandin, type RunningStandin } from '#modules/dossier/api_particulier/standin'
import { QUOTIENT_PATH } from '#modules/dossier/api_particulier/config'

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
