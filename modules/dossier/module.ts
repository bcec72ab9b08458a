import { defineModule } from '#core/module_manifest'
import { lazyImport } from '#core/lazy_import'
import apiParticulierConfig, { FRANCECONNECT_QUOTIENT_SCOPE } from '#modules/dossier/api_particulier/config'

const familyServiceModule = lazyImport(() => import('#modules/dossier/services/family_service'))

export default defineModule({
  name: 'dossier',
  label: 'Dossier',
  description:
    'Le dossier de la famille : coordonnées, responsables, enfants, personnes autorisées, quotient familial, documents, suivi des démarches.',
  dependsOn: ['accounts'],
  // The API Particulier stand-in of the demo (API_PARTICULIER_DEMO=1), once the web server listens.
  ready: async () => {
    const { default: startInProcessStandin } = await import('#modules/dossier/api_particulier/start_in_process')
    await startInProcessStandin()
  },
  parentNav: [{ label: 'DOSSIER', route: 'dossier.show', order: 20, activePrefix: '/dossier' }],
  staffNav: [{ label: 'Familles', route: 'staff.families.index', order: 10, activePrefix: '/gestion/familles' }],
  staffCounts: [
    {
      order: 10,
      label: (count) => (count > 1 ? 'documents transmis par les familles à vérifier' : 'document transmis par une famille à vérifier'),
      route: 'staff.families.index',
      count: async () => (await familyServiceModule()).default.documentsToCheck(),
    },
  ],
  tiles: [
    {
      title: 'Mon dossier',
      icon: 'folder',
      order: 10,
      links: [
        { label: 'Consulter mon dossier et mes démarches', route: 'dossier.show' },
        { label: 'Modifier mes coordonnées', route: 'dossier.contact.edit' },
        { label: 'Accéder à mes documents dématérialisés', route: 'dossier.documents.index' },
      ],
    },
  ],
  parentHomeSections: [
    {
      order: 10,
      render: async (ctx) => {
        const { default: familyService } = await familyServiceModule()
        const family = await familyService.familyForUser(ctx.auth.user)
        if (!family) return ''
        const children = await familyService.childrenOf(family.id)
        const { default: childPhotoService } = await import('#modules/dossier/services/child_photos')
        const photos = await childPhotoService.photosOf(children.map((child) => child.id))
        return ctx.view.render('dossier::partials/children_cards', { children, photos })
      },
    },
  ],
  hooks: {
    'accounts.family-logins': async (reference) => (await familyServiceModule()).default.userIdsOfReference(reference),
    'accounts.guardian-accounts': async (identity) => (await import('#modules/dossier/services/guardian_identity')).default(identity),
  },
  contributions: {
    // Signing in with FranceConnect also asks the CNAF/MSA quotient scope when API Particulier is configured.
    'accounts.franceconnect-data-scopes': () => (apiParticulierConfig.enabled ? [FRANCECONNECT_QUOTIENT_SCOPE] : []),
  },
})
