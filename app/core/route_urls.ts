import type { Router } from '@adonisjs/core/http'

/** The most recent URLs kept (a URL with an id or a date in it is one entry). */
const REMEMBERED_URLS = 5000

type Primitive = string | number | boolean
type Flat = Record<string, Primitive | Primitive[] | null | undefined> | Primitive[]

function isFlat(value: unknown): value is Flat | undefined {
  if (value === undefined) return true
  if (!value || typeof value !== 'object') return false
  for (const entry of Object.values(value)) {
    if (entry === null || entry === undefined || typeof entry !== 'object') continue
    if (!Array.isArray(entry) || entry.some((item) => item !== null && typeof item === 'object')) return false
  }
  return true
}

/**
 * `router.makeUrl`, remembered. AdonisJS finds a route by scanning every registered route, parses
 * its pattern again, and builds the query string with qs, at each call: about 80 KB allocated for
 * the URLs of one month planning page (its links to the other months, views and activities, and
 * the redirects after a booking). Routes do not change once the app has started, so the URL of
 * a (route, params, query string) is the same every time: it is made once and kept (the most
 * recent 5,000). Calls with other options (a domain, a prefix) or nested values go through as
 * before; a route that does not exist still throws, and is not kept.
 */
export function rememberRouteUrls(router: Router) {
  const makeUrl = router.makeUrl.bind(router)
  const urls = new Map<string, string>()
  router.makeUrl = ((identifier: string, params?: any, options?: any) => {
    const onlyQs = !options || Object.keys(options).every((key) => key === 'qs' || options[key] === undefined)
    if (!onlyQs || !isFlat(params) || !isFlat(options?.qs)) return makeUrl(identifier, params, options)
    const key = `${identifier}\u0000${params === undefined ? '' : JSON.stringify(params)}\u0000${options?.qs === undefined ? '' : JSON.stringify(options.qs)}`
    let url = urls.get(key)
    if (url === undefined) {
      url = makeUrl(identifier, params, options)
      if (urls.size >= REMEMBERED_URLS) urls.delete(urls.keys().next().value!)
      urls.set(key, url)
    }
    return url
  }) as Router['makeUrl']
}
