import router from '@adonisjs/core/services/router'
import { familyRoutes, staffRoutes } from '#core/route_groups'

const InscriptionsController = () => import('#modules/inscriptions/controllers/inscriptions_controller')
const StaffRequestsController = () => import('#modules/inscriptions/controllers/staff_requests_controller')
const StaffActivityTypesController = () => import('#modules/inscriptions/controllers/staff_activity_types_controller')
const StaffActivitiesController = () => import('#modules/inscriptions/controllers/staff_activities_controller')

familyRoutes(() => {
  router.get('/inscriptions', [InscriptionsController, 'index']).as('inscriptions.index')
  router.get('/inscriptions/demande', [InscriptionsController, 'create']).as('inscriptions.create')
  router.post('/inscriptions/demande', [InscriptionsController, 'store']).as('inscriptions.store')
  router.get('/inscriptions/:id/annuler', [InscriptionsController, 'confirmCancel']).as('inscriptions.confirm_cancel')
  router.post('/inscriptions/:id/annuler', [InscriptionsController, 'cancel']).as('inscriptions.cancel')
})

staffRoutes(() => {
  router.get('/', [StaffRequestsController, 'index']).as('inscriptions.staff.requests')
  router.post('/decisions', [StaffRequestsController, 'bulk']).as('inscriptions.staff.bulk')
  router.post('/:id/valider', [StaffRequestsController, 'validate']).as('inscriptions.staff.validate')
  router.get('/:id/refuser', [StaffRequestsController, 'refuseForm']).as('inscriptions.staff.refuse_form')
  router.post('/:id/refuser', [StaffRequestsController, 'refuse']).as('inscriptions.staff.refuse')
  router.get('/:id/annuler', [StaffRequestsController, 'confirmCancel']).as('inscriptions.staff.confirm_cancel')
  router.post('/:id/annuler', [StaffRequestsController, 'cancel']).as('inscriptions.staff.cancel')
  router.post('/:id/rang', [StaffActivitiesController, 'reorder']).as('inscriptions.staff.reorder')

  router.get('/types', [StaffActivityTypesController, 'index']).as('inscriptions.staff.types.index')
  router.get('/types/nouveau', [StaffActivityTypesController, 'create']).as('inscriptions.staff.types.create')
  router.post('/types', [StaffActivityTypesController, 'store']).as('inscriptions.staff.types.store')
  router.get('/types/:id/modifier', [StaffActivityTypesController, 'edit']).as('inscriptions.staff.types.edit')
  router.post('/types/:id', [StaffActivityTypesController, 'update']).as('inscriptions.staff.types.update')
  router.post('/types/:id/supprimer', [StaffActivityTypesController, 'destroy']).as('inscriptions.staff.types.destroy')

  router.get('/activites', [StaffActivitiesController, 'index']).as('inscriptions.staff.activities.index')
  router.get('/activites/nouvelle', [StaffActivitiesController, 'create']).as('inscriptions.staff.activities.create')
  router.post('/activites', [StaffActivitiesController, 'store']).as('inscriptions.staff.activities.store')
  router.get('/activites/:id', [StaffActivitiesController, 'show']).as('inscriptions.staff.activities.show')
  router.get('/activites/:id/modifier', [StaffActivitiesController, 'edit']).as('inscriptions.staff.activities.edit')
  router.get('/activites/:id/export.csv', [StaffActivitiesController, 'export']).as('inscriptions.staff.activities.export')
  router.post('/activites/:id', [StaffActivitiesController, 'update']).as('inscriptions.staff.activities.update')
  router.post('/activites/:id/supprimer', [StaffActivitiesController, 'destroy']).as('inscriptions.staff.activities.destroy')
}).prefix('/gestion/inscriptions')
