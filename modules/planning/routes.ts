import router from '@adonisjs/core/services/router'
import { familyRoutes, staffRoutes } from '#core/route_groups'
import { acceptsUploads } from '#core/upload_routes'

const PlanningController = () => import('#modules/planning/controllers/planning_controller')
const AdvancedBookingController = () => import('#modules/planning/controllers/advanced_booking_controller')
const AbsencesController = () => import('#modules/planning/controllers/absences_controller')
const CalendarFeedController = () => import('#modules/planning/controllers/calendar_feed_controller')
const StaffPlanningController = () => import('#modules/planning/controllers/staff_planning_controller')
const StaffDaysController = () => import('#modules/planning/controllers/staff_days_controller')
const StaffHolidaysController = () => import('#modules/planning/controllers/staff_holidays_controller')

router.get('/planning/planning.css', [PlanningController, 'stylesheet']).as('planning.stylesheet')
router.get('/planning/calendrier/:token', [CalendarFeedController, 'feed']).as('planning.feed')

familyRoutes(() => {
  router.get('/', [PlanningController, 'index']).as('planning.index')
  router.get('/recapitulatif', [PlanningController, 'summary']).as('planning.summary')
  router.post('/', [PlanningController, 'apply']).as('planning.apply')
  router.get('/quitter', [PlanningController, 'confirmQuit']).as('planning.quit')
  router.post('/liste-attente', [PlanningController, 'joinWaitlist']).as('planning.waitlist.join')
  router.post('/liste-attente/retirer', [PlanningController, 'leaveWaitlist']).as('planning.waitlist.leave')
  router.get('/modification-avancee', [AdvancedBookingController, 'create']).as('planning.advanced')
  router.post('/modification-avancee', [AdvancedBookingController, 'store']).as('planning.advanced.store')
  router.get('/absences/:id', [AbsencesController, 'create']).as('planning.absences.create')
  acceptsUploads(router.post('/absences/:id', [AbsencesController, 'store']).as('planning.absences.store'))
  router.get('/calendrier', [CalendarFeedController, 'show']).as('planning.calendar')
  router.post('/calendrier', [CalendarFeedController, 'renew']).as('planning.calendar.renew')
}).prefix('/planning')

staffRoutes(() => {
  router.get('/', [StaffPlanningController, 'index']).as('planning.staff.index')
  router.get('/activites/:id', [StaffPlanningController, 'edit']).as('planning.staff.activity')
  router.post('/activites/:id', [StaffPlanningController, 'update']).as('planning.staff.activity.update')
  router.post('/activites/:id/generer', [StaffPlanningController, 'generate']).as('planning.staff.activity.generate')
  router.get('/jours/:id', [StaffDaysController, 'show']).as('planning.staff.day')
  router.post('/jours/:id/presences', [StaffDaysController, 'attendance']).as('planning.staff.day.attendance')
  router.post('/jours/:id/reserver', [StaffDaysController, 'bookOnBehalf']).as('planning.staff.day.book')
  router.post('/jours/:id/annuler', [StaffDaysController, 'cancelOnBehalf']).as('planning.staff.day.cancel')
  router.post('/jours/:id/fermer', [StaffDaysController, 'toggleClosed']).as('planning.staff.day.close')
  router.get('/vacances', [StaffHolidaysController, 'index']).as('planning.staff.holidays')
  router.post('/vacances', [StaffHolidaysController, 'store']).as('planning.staff.holidays.store')
  router.post('/vacances/:id/supprimer', [StaffHolidaysController, 'destroy']).as('planning.staff.holidays.destroy')
  router.post('/fermetures', [StaffHolidaysController, 'storeClosure']).as('planning.staff.closures.store')
  router.post('/fermetures/:id/supprimer', [StaffHolidaysController, 'destroyClosure']).as('planning.staff.closures.destroy')
}).prefix('/gestion/planning')
