import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { staffRoutes } from '#core/route_groups'
import { acceptsUploads } from '#core/upload_routes'
import { openToReadOnlyAccounts } from '#core/read_only_routes'

const DossierController = () => import('#modules/dossier/controllers/dossier_controller')
const ContactController = () => import('#modules/dossier/controllers/contact_controller')
const DocumentsController = () => import('#modules/dossier/controllers/documents_controller')
const StaffFamiliesController = () => import('#modules/dossier/controllers/staff_families_controller')
const StaffGuardiansController = () => import('#modules/dossier/controllers/staff_guardians_controller')
const ChildrenController = () => import('#modules/dossier/controllers/children_controller')
const StaffCustodyController = () => import('#modules/dossier/controllers/staff_custody_controller')
const QuotientRetrievalController = () => import('#modules/dossier/controllers/quotient_retrieval_controller')
const PickupAccessController = () => import('#modules/dossier/controllers/pickup_access_controller')

router
  .group(() => {
    router.get('/', [DossierController, 'show']).as('dossier.show')
    router.get('/demarches', [DossierController, 'history']).as('dossier.history')
    router.get('/export.json', [DossierController, 'exportJson']).as('dossier.export.json')
    router.get('/export-documents.zip', [DossierController, 'exportZip']).as('dossier.export.zip')

    router.get('/coordonnees', [ContactController, 'edit']).as('dossier.contact.edit')
    router.post('/coordonnees', [ContactController, 'update']).as('dossier.contact.update')
    router.get('/personnes-autorisees/nouvelle', [ContactController, 'createPerson']).as('dossier.persons.create')
    router.post('/personnes-autorisees', [ContactController, 'storePerson']).as('dossier.persons.store')
    router.get('/personnes-autorisees/:id/modifier', [ContactController, 'editPerson']).as('dossier.persons.edit')
    router.post('/personnes-autorisees/:id/modifier', [ContactController, 'updatePerson']).as('dossier.persons.update')
    router.post('/personnes-autorisees/:id/supprimer', [ContactController, 'destroyPerson']).as('dossier.persons.destroy')
    router.get('/personnes-autorisees/:id/acces', [PickupAccessController, 'edit']).as('dossier.persons.access')
    router.post('/personnes-autorisees/:id/acces', [PickupAccessController, 'store']).as('dossier.persons.access.store')
    router.post('/personnes-autorisees/:id/acces/revoquer', [PickupAccessController, 'revoke']).as('dossier.persons.access.revoke')
    router.get('/demande', [ContactController, 'createRequest']).as('dossier.request.create')
    router.post('/demande', [ContactController, 'storeRequest']).as('dossier.request.store')

    // API Particulier: 404 unless the commune configured it (API_PARTICULIER_TOKEN or the demo)
    router.get('/quotient-familial', [QuotientRetrievalController, 'show']).as('dossier.quotient.retrieval')
    router.post('/quotient-familial', [QuotientRetrievalController, 'fetch']).as('dossier.quotient.fetch')
    router.get('/quotient-familial/resultat/:id', [QuotientRetrievalController, 'result']).as('dossier.quotient.result')
    router.post('/quotient-familial/resultat/:id/confirmer', [QuotientRetrievalController, 'confirm']).as('dossier.quotient.confirm')
    router.post('/quotient-familial/accord/retirer', [QuotientRetrievalController, 'revoke']).as('dossier.quotient.revoke')

    router.get('/enfants', [ChildrenController, 'index']).as('dossier.children.index')
    router.get('/enfants/:id/photo', [ChildrenController, 'photo']).as('dossier.children.photo')
    router.get('/enfants/:id/photo/modifier', [ChildrenController, 'editPhoto']).as('dossier.children.photo.edit')
    acceptsUploads(router.post('/enfants/:id/photo', [ChildrenController, 'storePhoto']).as('dossier.children.photo.store'))
    router.post('/enfants/:id/photo/supprimer', [ChildrenController, 'destroyPhoto']).as('dossier.children.photo.destroy')

    router.get('/documents', [DocumentsController, 'index']).as('dossier.documents.index')
    acceptsUploads(router.post('/documents', [DocumentsController, 'store']).as('dossier.documents.store'))
    router.get('/documents/:id/telecharger', [DocumentsController, 'download']).as('dossier.documents.download')
  })
  .prefix('/dossier')
  .use(middleware.auth())

// The only page of a person a guardian authorized to pick the children up (a read-only account).
openToReadOnlyAccounts(router.get('/recuperations', [PickupAccessController, 'days']).as('dossier.pickup.days').use(middleware.auth()), { home: true })

staffRoutes(() => {
  router.get('/', [StaffFamiliesController, 'index']).as('staff.families.index')
  router.get('/nouvelle', [StaffFamiliesController, 'create']).as('staff.families.create')
  router.post('/', [StaffFamiliesController, 'store']).as('staff.families.store')
  router.get('/:id', [StaffFamiliesController, 'show']).as('staff.families.show')
  router.get('/:id/modifier', [StaffFamiliesController, 'edit']).as('staff.families.edit')
  router.post('/:id/modifier', [StaffFamiliesController, 'update']).as('staff.families.update')
  router.post('/:id/quotient', [StaffFamiliesController, 'quotient']).as('staff.families.quotient')

  router.get('/:id/enfants/nouveau', [StaffFamiliesController, 'createChild']).as('staff.families.children.create')
  router.post('/:id/enfants', [StaffFamiliesController, 'storeChild']).as('staff.families.children.store')
  router.get('/:id/enfants/:childId/modifier', [StaffFamiliesController, 'editChild']).as('staff.families.children.edit')
  router.post('/:id/enfants/:childId/modifier', [StaffFamiliesController, 'updateChild']).as('staff.families.children.update')

  router.get('/:id/enfants/:childId/garde-alternee', [StaffCustodyController, 'show']).as('staff.families.custody.show')
  router.post('/:id/enfants/:childId/garde-alternee', [StaffCustodyController, 'store']).as('staff.families.custody.store')
  router.post('/:id/enfants/:childId/garde-alternee/fin', [StaffCustodyController, 'end']).as('staff.families.custody.end')

  router.get('/:id/personnes-autorisees/nouvelle', [StaffFamiliesController, 'createPerson']).as('staff.families.persons.create')
  router.post('/:id/personnes-autorisees', [StaffFamiliesController, 'storePerson']).as('staff.families.persons.store')
  router.get('/:id/personnes-autorisees/:personId/modifier', [StaffFamiliesController, 'editPerson']).as('staff.families.persons.edit')
  router.post('/:id/personnes-autorisees/:personId/modifier', [StaffFamiliesController, 'updatePerson']).as('staff.families.persons.update')
  router.post('/:id/personnes-autorisees/:personId/supprimer', [StaffFamiliesController, 'destroyPerson']).as('staff.families.persons.destroy')

  router.post('/:id/responsables/:guardianId/activation', [StaffFamiliesController, 'sendActivation']).as('staff.families.guardians.activation')
  router.get('/:id/responsables/:guardianId/identite-de-naissance', [StaffGuardiansController, 'editBirthIdentity']).as('staff.families.guardians.birth_identity')
  router.post('/:id/responsables/:guardianId/identite-de-naissance', [StaffGuardiansController, 'updateBirthIdentity']).as('staff.families.guardians.birth_identity.update')

  acceptsUploads(router.post('/:id/documents', [StaffFamiliesController, 'storeDocument']).as('staff.families.documents.store'), { staff: true })
  router.get('/:id/documents/:documentId/telecharger', [StaffFamiliesController, 'downloadDocument']).as('staff.families.documents.download')
  router.post('/:id/documents/:documentId/accepter', [StaffFamiliesController, 'acceptDocument']).as('staff.families.documents.accept')
  router.get('/:id/documents/:documentId/refuser', [StaffFamiliesController, 'reviewForm']).as('staff.families.documents.review')
  router.post('/:id/documents/:documentId/refuser', [StaffFamiliesController, 'refuseDocument']).as('staff.families.documents.refuse')
}).prefix('/gestion/familles')
