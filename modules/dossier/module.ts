import { defineModule } from '#core/module_manifest'

export default defineModule({
  name: 'dossier',
  label: 'Dossier',
  description: 'Le dossier de la famille : coordonnées, responsables, enfants, personnes autorisées, quotient familial, documents, suivi des démarches.',
  dependsOn: ['accounts'],
})
