import { defineModule } from '#core/module_manifest'

export default defineModule({
  name: 'accounts',
  label: 'Comptes',
  description: "Activation par lien, connexion, mot de passe oublié, rôles, comptes des agents.",
  dependsOn: [],
  required: true,
})
