/*
 * The core's routes. Each enabled module adds its own from modules/<name>/routes.ts
 * (see providers/modules_provider.ts).
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { staffRoutes } from '#core/route_groups'
import { openToReadOnlyAccounts } from '#core/read_only_routes'

const PortalPagesController = () => import('#controllers/portal_pages_controller')

router.get('/', [PortalPagesController, 'publicHome']).as('home')
router.get('/accessibilite', [PortalPagesController, 'accessibility']).as('legal.accessibility')
router.get('/mentions-legales', [PortalPagesController, 'fixedPage']).as('legal.notice')
router.get('/donnees-personnelles', [PortalPagesController, 'fixedPage']).as('legal.privacy')
router.get('/plan-du-site', [PortalPagesController, 'siteMap']).as('site_map')
router.get('/logo', [() => import('#controllers/logo_controller'), 'show']).as('logo')

router
  .group(() => {
    router.get('/accueil', [PortalPagesController, 'parentHome']).as('parent.home')
    openToReadOnlyAccounts(router.get('/session/prolonger', [PortalPagesController, 'extendSession']).as('session.extend'))
  })
  .use(middleware.auth())

staffRoutes(() => {
  router.get('/', [PortalPagesController, 'staffHome']).as('staff.home')
}).prefix('/gestion')

// Benchmark and scaling-test routes (bench/app/routes.ts), absent unless explicitly asked for.
if (process.env.PORTAL_BENCH_ROUTES === '1') {
  await import('../bench/app/routes.js')
}
