import router from '@adonisjs/core/services/router'
import { familyRoutes, staffRoutes } from '#core/route_groups'
import { acceptsUploads } from '#core/upload_routes'
import { MAX_ATTACHMENTS } from '#modules/messaging/services/attachment_limits'

const FamilyMessagesController = () => import('#modules/messaging/controllers/family_messages_controller')
const ComposeController = () => import('#modules/messaging/controllers/compose_controller')
const PreferencesController = () => import('#modules/messaging/controllers/preferences_controller')
const StaffMessagesController = () => import('#modules/messaging/controllers/staff_messages_controller')
const StaffServicesController = () => import('#modules/messaging/controllers/staff_services_controller')

familyRoutes(() => {
  router.get('/', [FamilyMessagesController, 'received']).as('messaging.inbox')
  router.get('/envoyes', [FamilyMessagesController, 'sent']).as('messaging.sent')
  router.get('/nouveau', [ComposeController, 'create']).as('messaging.create')
  acceptsUploads(router.post('/', [ComposeController, 'store']).as('messaging.store'), { files: MAX_ATTACHMENTS })
  router.get('/preferences', [PreferencesController, 'edit']).as('messaging.preferences')
  router.post('/preferences', [PreferencesController, 'update']).as('messaging.preferences.update')
  router.get('/pieces-jointes/:id', [FamilyMessagesController, 'download']).as('messaging.attachment')
  router.get('/:id', [FamilyMessagesController, 'show']).as('messaging.show')
  acceptsUploads(router.post('/:id/repondre', [FamilyMessagesController, 'reply']).as('messaging.reply'), { files: MAX_ATTACHMENTS })
}).prefix('/messagerie')

staffRoutes(() => {
  router.get('/', [StaffMessagesController, 'index']).as('messaging.staff.index')
  router.get('/preferences', [PreferencesController, 'edit']).as('messaging.staff.preferences')
  router.post('/preferences', [PreferencesController, 'update']).as('messaging.staff.preferences.update')
  router.get('/pieces-jointes/:id', [StaffMessagesController, 'download']).as('messaging.staff.attachment')
  router.get('/:id', [StaffMessagesController, 'show']).as('messaging.staff.show')
  acceptsUploads(router.post('/:id/repondre', [StaffMessagesController, 'reply']).as('messaging.staff.reply'), { files: MAX_ATTACHMENTS, staff: true })
  router.post('/:id/attribuer', [StaffMessagesController, 'assign']).as('messaging.staff.assign')
  router.post('/:id/traiter', [StaffMessagesController, 'done']).as('messaging.staff.done')
  router.post('/:id/rouvrir', [StaffMessagesController, 'reopen']).as('messaging.staff.reopen')
}).prefix('/gestion/messagerie')

staffRoutes(() => {
  router.get('/', [StaffServicesController, 'index']).as('messaging.staff.services')
  router.post('/', [StaffServicesController, 'storeService']).as('messaging.staff.services.store')
  router.post('/:id', [StaffServicesController, 'renameService']).as('messaging.staff.services.rename')
  router.post('/:id/deplacer', [StaffServicesController, 'moveService']).as('messaging.staff.services.move')
  router.post('/:id/themes', [StaffServicesController, 'storeTopic']).as('messaging.staff.topics.store')
  router.post('/themes/:id', [StaffServicesController, 'renameTopic']).as('messaging.staff.topics.rename')
  router.post('/themes/:id/deplacer', [StaffServicesController, 'moveTopic']).as('messaging.staff.topics.move')
}, { admin: true }).prefix('/gestion/messagerie/services')
