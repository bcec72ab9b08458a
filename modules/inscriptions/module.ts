import { defineModule } from '#core/module_manifest'
import { lazyImport } from '#core/lazy_import'

const dossierModule = lazyImport(() => import('#modules/dossier/index'))
const registrationModule = lazyImport(() => import('#modules/inscriptions/models/registration'))

export default defineModule({
  name: 'inscriptions',
  label: 'Inscriptions',
  description: "Types d'activités et activités, demandes d'inscription des enfants, validation par le service, liste d'attente.",
  dependsOn: ['accounts', 'dossier'],
  parentNav: [
    {
      label: 'INSCRIPTIONS',
      route: 'inscriptions.index',
      order: 30,
      activePrefix: '/inscriptions',
    },
  ],
  staffNav: [
    {
      label: 'INSCRIPTIONS',
      route: 'inscriptions.staff.requests',
      order: 30,
      activePrefix: '/gestion/inscriptions',
    },
  ],
  staffCounts: [
    {
      order: 30,
      label: (count) => (count > 1 ? "demandes d'inscription à valider" : "demande d'inscription à valider"),
      route: 'inscriptions.staff.requests',
      count: async () => {
        const { default: Registration } = await registrationModule()
        const rows = await Registration.query().where('state', 'requested').count('* as total')
        return Number(rows[0].$extras.total)
      },
    },
  ],
  tiles: [
    {
      title: 'Inscription',
      icon: 'form',
      order: 30,
      links: [
        {
          label: 'Visualiser les inscriptions en cours ou inscrire à de nouvelles activités',
          route: 'inscriptions.index',
        },
      ],
      summary: async (ctx) => {
        const { familyService } = await dossierModule()
        const { default: Registration } = await registrationModule()
        const family = await familyService.familyForUser(ctx.auth.user)
        if (!family) return null
        const rows = await Registration.query().where('family_id', family.id).whereIn('state', ['requested', 'waiting']).count('* as total')
        const pending = Number(rows[0].$extras.total)
        return pending ? `${pending} demande${pending > 1 ? 's' : ''} en attente de réponse` : null
      },
    },
  ],
  contributions: {
    'dossier.child-card-lines': async (childIds) => (await import('#modules/inscriptions/services/child_card_lines')).default(childIds),
    'dossier.child-staff-services': async (childId) => (await import('#modules/inscriptions/services/child_staff_services')).default(childId),
  },
})
