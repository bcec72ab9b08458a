import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import { rememberRouteUrls } from '#core/route_urls'

/** A router whose makeUrl counts its calls (and throws for an unknown route, as AdonisJS does). */
function countingRouter() {
  const calls: unknown[][] = []
  const fake = {
    makeUrl(identifier: string, params?: any, options?: any) {
      calls.push([identifier, params, options])
      if (identifier === 'unknown') throw new Error('Cannot lookup route "unknown"')
      const qs = options?.qs ? `?${new URLSearchParams(options.qs).toString()}` : ''
      return `/${identifier}${params?.id ? `/${params.id}` : ''}${qs}`
    },
  }
  rememberRouteUrls(fake as any)
  return { fake, calls }
}

test.group('Route URLs remembered', () => {
  test('the app gives the URL AdonisJS builds, with and without params and query string', ({ assert }) => {
    // router.builder() is AdonisJS's own URL builder, which rememberRouteUrls leaves as it is.
    assert.equal(router.makeUrl('planning.index'), router.builder().make('planning.index'))
    const qs = { vue: 'mois', date: '2027-01-01', par: 'activite', activite: 3 }
    assert.equal(router.makeUrl('planning.index', {}, { qs }), router.builder().qs(qs).make('planning.index'))
    assert.equal(router.makeUrl('planning.index', {}, { qs }), router.builder().qs(qs).make('planning.index'))
    assert.equal(router.makeUrl('planning.offers.show', { id: 12 }), router.builder().params({ id: 12 }).make('planning.offers.show'))
    assert.equal(router.makeUrl('planning.offers.show', [13]), router.builder().params([13]).make('planning.offers.show'))
    assert.throws(() => router.makeUrl('no.such.route'))
  })

  test('a (route, params, query string) is made once; each different one is made', ({ assert }) => {
    const { fake, calls } = countingRouter()
    assert.equal(fake.makeUrl('a', { id: 1 }, { qs: { date: '2027-01-01' } }), '/a/1?date=2027-01-01')
    assert.equal(fake.makeUrl('a', { id: 1 }, { qs: { date: '2027-01-01' } }), '/a/1?date=2027-01-01')
    assert.equal(fake.makeUrl('a', { id: 2 }, { qs: { date: '2027-01-01' } }), '/a/2?date=2027-01-01')
    assert.equal(fake.makeUrl('a', { id: 1 }, { qs: { date: '2027-02-01' } }), '/a/1?date=2027-02-01')
    assert.equal(fake.makeUrl('a'), '/a')
    assert.equal(fake.makeUrl('a'), '/a')
    assert.lengthOf(calls, 4)
  })

  test('other options and nested values go through each time; an unknown route throws each time', ({ assert }) => {
    const { fake, calls } = countingRouter()
    fake.makeUrl('a', {}, { prefixUrl: 'https://exemple.fr' })
    fake.makeUrl('a', {}, { prefixUrl: 'https://exemple.fr' })
    fake.makeUrl('a', { id: { nested: 1 } })
    fake.makeUrl('a', { id: { nested: 1 } })
    assert.lengthOf(calls, 4)
    assert.throws(() => fake.makeUrl('unknown'))
    assert.throws(() => fake.makeUrl('unknown'))
    assert.lengthOf(calls, 6)
  })
})
