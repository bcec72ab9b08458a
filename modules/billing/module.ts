import { defineModule } from '#core/module_manifest'
import { presentModules } from '#core/module_catalog'

// inscriptions and planning are written alongside; until their folders land, billing boots
// on what is present (its planning-backed parts check for them at run time).
const present: string[] = presentModules()

export default defineModule({
  name: 'billing',
  label: 'Facturation',
  description:
    'Tarifs au quotient familial, simulateur public, factures mensuelles, avoirs, paiements (PayFiP, chèque, espèces, CESU) et impayés.',
  dependsOn: ['accounts', 'dossier', 'inscriptions', 'planning'].filter((name) => present.includes(name)),
  publicNav: [{ label: 'SIMULATIONS TARIFAIRES', route: 'billing.simulator', order: 30, activePrefix: '/simulateur-tarifaire' }],
  publicBlocks: [
    {
      title: 'SIMULATIONS TARIFAIRES',
      order: 30,
      description: 'Calculez votre quotient familial, estimez vos tarifs.',
      links: [{ label: 'Calculez votre quotient familial, estimez vos tarifs', route: 'billing.simulator' }],
    },
  ],
})
