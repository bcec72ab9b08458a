import { defineModule } from '#core/module_manifest'

export default defineModule({
  name: 'inscriptions',
  label: 'Inscriptions',
  description:
    "Types d'activités et activités, demandes d'inscription des enfants, validation par le service, liste d'attente.",
  dependsOn: ['accounts', 'dossier'],
})
