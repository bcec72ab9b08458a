import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { staffRoutes } from '#core/route_groups'
import { openToReadOnlyAccounts } from '#core/read_only_routes'

const SessionController = () => import('#modules/accounts/controllers/session_controller')
const ActivationController = () => import('#modules/accounts/controllers/activation_controller')
const PasswordResetController = () => import('#modules/accounts/controllers/password_reset_controller')
const MyAccountController = () => import('#modules/accounts/controllers/my_account_controller')
const CguController = () => import('#modules/accounts/controllers/cgu_controller')
const FranceconnectController = () => import('#modules/accounts/controllers/franceconnect_controller')
const StaffAccountsController = () => import('#modules/accounts/controllers/staff_accounts_controller')

router
  .group(() => {
    router.get('/connexion', [SessionController, 'create']).as('auth.login')
    router.post('/connexion', [SessionController, 'store']).as('auth.login.store')
    router.get('/mot-de-passe-oublie', [PasswordResetController, 'create']).as('auth.password.forgot')
    router.post('/mot-de-passe-oublie', [PasswordResetController, 'store']).as('auth.password.forgot.store')
    router.get('/mot-de-passe/reinitialiser/:token', [PasswordResetController, 'edit']).as('auth.password.reset')
    router.post('/mot-de-passe/reinitialiser/:token', [PasswordResetController, 'update']).as('auth.password.reset.store')
    router.get('/activation/:token', [ActivationController, 'show']).as('accounts.activation')
    router.post('/activation/:token', [ActivationController, 'store']).as('accounts.activation.store')
    router.post('/connexion/franceconnect', [FranceconnectController, 'start']).as('auth.franceconnect.start')
    router.get('/connexion/franceconnect/inconnue', [FranceconnectController, 'unknown']).as('auth.franceconnect.unknown')
    router.post('/connexion/franceconnect/inconnue', [FranceconnectController, 'requestLink']).as('auth.franceconnect.request_link')
  })
  .use(middleware.guest())

// FranceConnect sends the browser back here both to sign in and to link from "Mon compte".
router.get('/connexion/franceconnect/retour', [FranceconnectController, 'callback']).as('auth.franceconnect.callback')
router.get('/connexion/franceconnect/deconnexion', [FranceconnectController, 'loggedOut']).as('auth.franceconnect.logged_out')
router.get('/connexion/franceconnect/relier/:token', [FranceconnectController, 'showConfirmation']).as('auth.franceconnect.confirm')
router.post('/connexion/franceconnect/relier/:token', [FranceconnectController, 'confirm']).as('auth.franceconnect.confirm.store')

router.get('/mon-compte/email/confirmer/:token', [MyAccountController, 'showEmailConfirmation']).as('account.email.confirm')
router.post('/mon-compte/email/confirmer/:token', [MyAccountController, 'confirmEmail']).as('account.email.confirm.store')

// A read-only account (a person authorized to pick the children up) may sign out, read its
// account, change its password, forget its devices and accept new CGU: nothing else here.
router
  .group(() => {
    openToReadOnlyAccounts(router.post('/deconnexion', [SessionController, 'destroy']).as('auth.logout'))
    openToReadOnlyAccounts(router.get('/mon-compte', [MyAccountController, 'show']).as('account.show'))
    openToReadOnlyAccounts(router.get('/mon-compte/conditions', [CguController, 'show']).as('account.cgu'))
    openToReadOnlyAccounts(router.post('/mon-compte/conditions', [CguController, 'accept']).as('account.cgu.accept'))
    openToReadOnlyAccounts(router.post('/mon-compte/mot-de-passe', [MyAccountController, 'updatePassword']).as('account.password'))
    router.post('/mon-compte/email', [MyAccountController, 'requestEmailChange']).as('account.email')
    router.post('/mon-compte/franceconnect', [MyAccountController, 'linkFranceConnect']).as('account.franceconnect.link')
    router.get('/mon-compte/franceconnect/delier', [MyAccountController, 'confirmUnlinkFranceConnect']).as('account.franceconnect.unlink.confirm')
    router.post('/mon-compte/franceconnect/delier', [MyAccountController, 'unlinkFranceConnect']).as('account.franceconnect.unlink')
    openToReadOnlyAccounts(router.post('/mon-compte/appareils/:id/oublier', [MyAccountController, 'revokeDevice']).as('account.devices.revoke'))
  })
  .use(middleware.auth())

staffRoutes(() => {
  router.get('/', [StaffAccountsController, 'index']).as('staff.accounts.index')
  router
    .group(() => {
      router.get('/nouveau', [StaffAccountsController, 'create']).as('staff.accounts.create')
      router.post('/', [StaffAccountsController, 'store']).as('staff.accounts.store')
    })
    .use(middleware.staff({ admin: true }))
  router.post('/:id/activation', [StaffAccountsController, 'resendActivation']).as('staff.accounts.resend')
  router.post('/:id/desactiver', [StaffAccountsController, 'disable']).as('staff.accounts.disable')
  router.post('/:id/reactiver', [StaffAccountsController, 'enable']).as('staff.accounts.enable')
}).prefix('/gestion/comptes')
