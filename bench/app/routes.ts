/*
 * Routes that exist only when PORTAL_BENCH_ROUTES=1 (the benchmark and the scaling test
 * start the app that way). Never enable this flag on a real portal.
 */
import { readFile } from 'node:fs/promises'
import router from '@adonisjs/core/services/router'
import limiter from '@adonisjs/limiter/services/main'
import { familyRoutes } from '#core/route_groups'

// The same answer as /__bench/bare, through every server and router middleware.
router.get('/__bench/stack', ({ response }) => {
  response.header('content-type', 'text/plain; charset=utf-8')
  return response.send('ok')
})

// A page's ceiling: the bytes of a page already rendered (the file BENCH_PAGE_COPY, written by
// the bench from a real answer, read at the first request), sent through every middleware of a
// family's page, the sign-in check included. No page that reads data and renders can be faster.
let pageCopy: Promise<string> | undefined
familyRoutes(() => {
  router.get('/__bench/page-copy', async ({ response }) => {
    const file = process.env.BENCH_PAGE_COPY
    if (!file) return response.notFound('BENCH_PAGE_COPY absent')
    pageCopy ??= readFile(file, 'utf8')
    response.header('content-type', 'text/html; charset=utf-8')
    return response.send(await pageCopy)
  })
})

// A session value written by one app process and read by another.
router.get('/__bench/session', ({ request, session, response }) => {
  const value = request.input('put')
  if (typeof value === 'string') session.put('bench.value', value)
  return response.json({ value: value ?? session.get('bench.value', null) })
})

// A CSRF token from one process, a form posted to another.
router.get('/__bench/form', ({ request, response }) => response.json({ token: request.csrfToken }))
router.post('/__bench/form', ({ response }) => response.json({ accepted: true }))

// Three requests a minute per `key`, counted in the limiter's store.
const benchThrottle = limiter.define('benchThrottle', (ctx) =>
  limiter
    .allowRequests(3)
    .every('1 minute')
    .usingKey(`bench_${String(ctx.request.input('key', ctx.request.ip()))}`)
)
router.get('/__bench/throttled', ({ response }) => response.json({ ok: true })).use(benchThrottle)
