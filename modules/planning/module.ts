import { defineModule } from '#core/module_manifest'
import { lazyImport } from '#core/lazy_import'

const tileSummaryModule = lazyImport(() => import('#modules/planning/services/tile_summary'))

export default defineModule({
  name: 'planning',
  label: 'Planning',
  description:
    "Réservations et annulations des jours d'activité (capacités par tranche d'âge, délais, liste d'attente), absences, calendrier iCal, feuilles de présence.",
  dependsOn: ['accounts', 'dossier', 'inscriptions'],
  parentNav: [{ label: 'PLANNING', route: 'planning.index', order: 40, activePrefix: '/planning' }],
  staffNav: [{ label: 'PLANNING', route: 'planning.staff.index', order: 40, activePrefix: '/gestion/planning' }],
  tiles: [
    {
      title: 'Planning',
      icon: 'calendar',
      order: 40,
      links: [
        { label: 'Réservations', route: 'planning.index' },
        { label: 'Annulations', route: 'planning.summary' },
      ],
      summary: async (ctx) => {
        const { upcomingSummary } = await tileSummaryModule()
        return upcomingSummary(ctx)
      },
    },
  ],
  hooks: {
    // The read-only page of the persons a guardian authorized to pick the children up.
    'dossier.pickup-days': async (query) => (await import('#modules/planning/services/pickup_days')).default(query),
  },
})
