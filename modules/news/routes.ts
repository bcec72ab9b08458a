import router from '@adonisjs/core/services/router'
import { staffRoutes } from '#core/route_groups'
import { acceptsUploads } from '#core/upload_routes'

const NewsController = () => import('#modules/news/controllers/news_controller')
const PracticalInfoController = () => import('#modules/news/controllers/practical_info_controller')
const CommunePagesController = () => import('#modules/news/controllers/commune_pages_controller')
const StaffArticlesController = () => import('#modules/news/controllers/staff_articles_controller')
const StaffDocumentsController = () => import('#modules/news/controllers/staff_documents_controller')
const StaffStructuresController = () => import('#modules/news/controllers/staff_structures_controller')
const StaffMenusController = () => import('#modules/news/controllers/staff_menus_controller')
const StaffPagesController = () => import('#modules/news/controllers/staff_pages_controller')

router.get('/actualites', [NewsController, 'index']).as('news.index')
router.get('/actualites/flux.xml', [NewsController, 'feed']).as('news.feed')
router.get('/actualites/:slug', [NewsController, 'show']).as('news.show')
router.get('/actualites/:slug/image', [NewsController, 'image']).as('news.image')

router.get('/infos-pratiques', [PracticalInfoController, 'index']).as('news.practical')
router.get('/infos-pratiques/documents', [PracticalInfoController, 'documents']).as('news.documents')
router
  .get('/infos-pratiques/documents/:id/telecharger', [PracticalInfoController, 'download'])
  .where('id', router.matchers.number())
  .as('news.documents.download')

router.get('/pages/enfance', [CommunePagesController, 'show']).as('news.pages.enfance')
router.get('/pages/jeunesse', [CommunePagesController, 'show']).as('news.pages.jeunesse')
router.get('/pages/ecoles', [CommunePagesController, 'show']).as('news.pages.ecoles')
router.get('/pages/:slug', [CommunePagesController, 'show']).as('news.pages.show')
router.get('/cgu', [CommunePagesController, 'terms']).as('news.terms')

staffRoutes(() => {
  router.get('/actualites', [StaffArticlesController, 'index']).as('news.staff.articles.index')
  router.get('/actualites/nouvelle', [StaffArticlesController, 'create']).as('news.staff.articles.create')
  acceptsUploads(router.post('/actualites', [StaffArticlesController, 'store']).as('news.staff.articles.store'), { staff: true })
  acceptsUploads(router.post('/actualites/apercu', [StaffArticlesController, 'previewDraft']).as('news.staff.articles.preview_draft'), { staff: true })
  router.get('/actualites/:id/modifier', [StaffArticlesController, 'edit']).as('news.staff.articles.edit')
  router.get('/actualites/:id/apercu', [StaffArticlesController, 'preview']).as('news.staff.articles.preview')
  router.get('/actualites/:id/image', [StaffArticlesController, 'image']).as('news.staff.articles.image')
  acceptsUploads(router.post('/actualites/:id', [StaffArticlesController, 'update']).as('news.staff.articles.update'), { staff: true })
  router.post('/actualites/:id/publier', [StaffArticlesController, 'publish']).as('news.staff.articles.publish')
  router.post('/actualites/:id/depublier', [StaffArticlesController, 'unpublish']).as('news.staff.articles.unpublish')
  router.get('/actualites/:id/supprimer', [StaffArticlesController, 'confirmDestroy']).as('news.staff.articles.confirm_destroy')
  router.post('/actualites/:id/supprimer', [StaffArticlesController, 'destroy']).as('news.staff.articles.destroy')

  router.get('/documents', [StaffDocumentsController, 'index']).as('news.staff.documents.index')
  acceptsUploads(router.post('/documents', [StaffDocumentsController, 'store']).as('news.staff.documents.store'), { staff: true })
  router.post('/documents/:id/supprimer', [StaffDocumentsController, 'destroy']).as('news.staff.documents.destroy')

  router.get('/structures', [StaffStructuresController, 'index']).as('news.staff.structures.index')
  router.get('/structures/nouvelle', [StaffStructuresController, 'create']).as('news.staff.structures.create')
  router.post('/structures', [StaffStructuresController, 'store']).as('news.staff.structures.store')
  router.get('/structures/:id/modifier', [StaffStructuresController, 'edit']).as('news.staff.structures.edit')
  router.post('/structures/:id', [StaffStructuresController, 'update']).as('news.staff.structures.update')
  router.post('/structures/:id/supprimer', [StaffStructuresController, 'destroy']).as('news.staff.structures.destroy')

  router.get('/menus', [StaffMenusController, 'index']).as('news.staff.menus.index')
  router.get('/menus/nouveau', [StaffMenusController, 'create']).as('news.staff.menus.create')
  router.get('/menus/semaine', [StaffMenusController, 'editWeek']).as('news.staff.menus.week')
  router.post('/menus/semaine', [StaffMenusController, 'saveWeek']).as('news.staff.menus.save_week')
  router.post('/menus', [StaffMenusController, 'store']).as('news.staff.menus.store')
  router.get('/menus/:id/modifier', [StaffMenusController, 'edit']).as('news.staff.menus.edit')
  router.post('/menus/:id', [StaffMenusController, 'update']).as('news.staff.menus.update')
  router.post('/menus/:id/supprimer', [StaffMenusController, 'destroy']).as('news.staff.menus.destroy')

  router.get('/pages', [StaffPagesController, 'index']).as('news.staff.pages.index')
  router.get('/pages/nouvelle', [StaffPagesController, 'create']).as('news.staff.pages.create')
  router.post('/pages', [StaffPagesController, 'store']).as('news.staff.pages.store')
  router.get('/pages/:id/modifier', [StaffPagesController, 'edit']).as('news.staff.pages.edit')
  router.post('/pages/:id', [StaffPagesController, 'update']).as('news.staff.pages.update')
  router.post('/pages/:id/supprimer', [StaffPagesController, 'destroy']).as('news.staff.pages.destroy')
}).prefix('/gestion')
