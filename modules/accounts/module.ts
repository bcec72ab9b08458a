import { defineModule } from '#core/module_manifest'
import franceconnectConfig from '#modules/accounts/config/franceconnect'

export default defineModule({
  name: 'accounts',
  label: 'Comptes',
  description: 'Activation par lien, connexion, mot de passe oublié, rôles, comptes des agents.',
  dependsOn: [],
  required: true,
  staffNav: [{ label: 'Comptes', route: 'staff.accounts.index', order: 90, activePrefix: '/gestion/comptes' }],
  hooks: {
    'portal.setup-administrator': async (admin, client) => {
      const { setupAdministrator } = await import('#modules/accounts/services/administrator_setup')
      return setupAdministrator(admin, client)
    },
    'portal.check-administrator': async (admin) => {
      const { administratorProblem } = await import('#modules/accounts/services/administrator_setup')
      return administratorProblem(admin)
    },
  },
  // The FranceConnect button and "Relier FranceConnect" are forms redirected to FranceConnect.
  formActionOrigins: () => {
    const issuer = franceconnectConfig.settings?.issuer
    return issuer ? [new URL(issuer).origin] : []
  },
  // The local FranceConnect of the demo (FRANCECONNECT_DEMO=1), once the web server listens.
  ready: async () => {
    const { default: startInProcessStandIn } = await import('#modules/accounts/franceconnect_stand_in/start_in_process')
    await startInProcessStandIn()
  },
  publicHomeSections: [{ order: 50, lead: true, render: (ctx) => ctx.view.render('accounts::partials/login_box') }],
})
