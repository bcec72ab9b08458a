import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { failureKind, quotientQuery, readQuotient, retryAfterSeconds } from '#modules/dossier/api_particulier/client'
import { RateLimiter, type Clock } from '#modules/dossier/api_particulier/rate_limiter'
import { failureSentence } from '#modules/dossier/services/quotient_words'

/** The published 200 body of « couple, 2 enfants, QF MSA 150, mai 2023 ». */
const PUBLISHED = {
  data: {
    quotient_familial: { fournisseur: 'MSA', valeur: 150, annee: 2023, mois: 5, annee_calcul: 2024, mois_calcul: 12 },
    allocataires: [{ nom_naissance: 'ROUX', nom_usage: null, prenoms: 'JEANNE STEPHANIE', date_naissance: '1987-06-27', sexe: 'F' }],
    enfants: [],
    adresse: { destinataire: 'Madame ROUX JEANNE', code_postal_ville: '75002 PARIS', pays: 'FRANCE' },
  },
  links: {},
  meta: {},
}

/** A clock the test moves by hand; sleeping moves it. */
function fakeClock(): Clock & { slept: number[] } {
  let now = 1_000_000
  const slept: number[] = []
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms)
      now += ms
    },
  }
}

test.group('API Particulier: the answer read', () => {
  test('a published 200 gives the value, the provider (CNAF read as CAF), the month and the computation month', ({ assert }) => {
    assert.deepEqual(readQuotient(PUBLISHED, false), { value: 150, provider: 'MSA', year: 2023, month: 5, computedYear: 2024, computedMonth: 12, cached: false })
    const caf = { data: { quotient_familial: { ...PUBLISHED.data.quotient_familial, fournisseur: 'CNAF', valeur: 2550 } } }
    assert.equal(readQuotient(caf, true)!.provider, 'CAF')
    assert.isTrue(readQuotient(caf, true)!.cached)
  })

  test('an answer without a usable quotient is refused rather than guessed', ({ assert }) => {
    assert.isNull(readQuotient({ data: {} }, false))
    assert.isNull(readQuotient({ data: { quotient_familial: { fournisseur: 'MSA', valeur: '150', annee: 2023, mois: 5 } } }, false))
    assert.isNull(readQuotient({ data: { quotient_familial: { fournisseur: 'AUTRE', valeur: 150, annee: 2023, mois: 5 } } }, false))
    assert.isNull(readQuotient({ data: { quotient_familial: { fournisseur: 'MSA', valeur: 150, annee: 2023, mois: 13 } } }, false))
  })

  test('statuses to kinds, Retry-After in seconds or as a date', ({ assert }) => {
    assert.deepEqual([404, 400, 401, 403, 429, 502, 503, 504].map(failureKind), ['not_found', 'invalid_identity', 'bad_token', 'forbidden', 'rate_limited', 'unavailable', 'unavailable', 'unavailable'])
    assert.equal(retryAfterSeconds('30'), 30)
    assert.equal(retryAfterSeconds('0'), 1)
    assert.equal(retryAfterSeconds(new Date(Date.UTC(2026, 0, 1, 0, 0, 45)).toUTCString(), Date.UTC(2026, 0, 1)), 45)
    assert.isNull(retryAfterSeconds(null))
  })

  test('the query: recipient, birth name, up to 3 first names, sex, country, commune, birth date parts', ({ assert }) => {
    const query = quotientQuery({ birthName: 'Roux', firstNames: ['Jeanne', 'Stéphanie'], sex: 'F', birthDate: '1987-06-27', birthCountryCode: '99100', birthCommuneCode: '08480' }, '21060004200019')
    assert.equal(query.get('recipient'), '21060004200019')
    assert.deepEqual(query.getAll('prenoms[]'), ['Jeanne', 'Stéphanie'])
    assert.equal(query.get('codeCogInseeCommuneNaissance'), '08480')
    assert.deepEqual([query.get('anneeDateNaissance'), query.get('moisDateNaissance'), query.get('jourDateNaissance')], ['1987', '6', '27'])
    assert.isNull(query.get('annee'))
    const abroad = quotientQuery({ birthName: 'Simpson', firstNames: ['Marge'], sex: 'F', birthDate: '1980-11-15', birthCountryCode: '99404', birthCommuneCode: null }, '21060004200019')
    assert.isNull(abroad.get('codeCogInseeCommuneNaissance'))
  })

  test('errors in words, the retry time given for a 429', ({ assert }) => {
    const at = DateTime.fromISO('2026-03-10T10:00:00', { zone: 'Europe/Paris' })
    assert.include(failureSentence({ ok: false, kind: 'rate_limited', status: 429, code: '00429', retryAfterSeconds: 90 }, at), 'réessayez après 10h01 (dans 90 s)')
    assert.include(failureSentence({ ok: false, kind: 'not_found', status: 404, code: '37003', retryAfterSeconds: null }), 'Identité non trouvée')
    assert.include(failureSentence({ ok: false, kind: 'bad_token', status: 401, code: '00103', retryAfterSeconds: null }), 'expiré')
    assert.include(failureSentence({ ok: false, kind: 'unavailable', status: 503, code: null, retryAfterSeconds: null }), 'indisponible')
  })
})

test.group('API Particulier: the client-side rate limiter', () => {
  test('20 calls go at once, the 21st waits for the second window', async ({ assert }) => {
    const clock = fakeClock()
    const limiter = new RateLimiter([{ limit: 20, windowMs: 1000 }], clock)
    for (let index = 0; index < 20; index++) await limiter.acquire()
    assert.deepEqual(clock.slept, [])
    await limiter.acquire()
    assert.deepEqual(clock.slept, [1000])
  })

  test('the per-minute window holds too', async ({ assert }) => {
    const clock = fakeClock()
    const limiter = new RateLimiter([{ limit: 20, windowMs: 1000 }, { limit: 30, windowMs: 60_000 }], clock)
    for (let index = 0; index < 31; index++) await limiter.acquire()
    // 20, then 10 more after a second, then the 31st only a minute after the first.
    assert.equal(clock.slept.reduce((sum, ms) => sum + ms, 0), 60_000)
  })

  test('after a 429, every caller waits Retry-After', async ({ assert }) => {
    const clock = fakeClock()
    const limiter = new RateLimiter([{ limit: 20, windowMs: 1000 }], clock)
    await limiter.acquire()
    limiter.pauseFor(5)
    await Promise.all([limiter.acquire(), limiter.acquire()])
    assert.deepEqual(clock.slept, [5000])
  })
})
