import router from '@adonisjs/core/services/router'
import { familyRoutes, staffRoutes } from '#core/route_groups'
import { acceptsUploads } from '#core/upload_routes'

const TariffSimulatorController = () => import('#modules/billing/controllers/tariff_simulator_controller')
const InvoicesController = () => import('#modules/billing/controllers/invoices_controller')
const StaffBillingController = () => import('#modules/billing/controllers/staff_billing_controller')
const StaffTariffsController = () => import('#modules/billing/controllers/staff_tariffs_controller')
const SepaMandatesController = () => import('#modules/billing/controllers/sepa_mandates_controller')
const StaffPesExportsController = () => import('#modules/billing/controllers/staff_pes_exports_controller')
const SepaDebitsController = () => import('#modules/billing/controllers/sepa_debits_controller')
const SepaReturnsController = () => import('#modules/billing/controllers/sepa_returns_controller')

router.get('/simulateur-tarifaire', [TariffSimulatorController, 'show']).as('billing.simulator')

// PayFiP's server-to-server notification: no session, no CSRF token (exempt in module.ts).
router.post('/facturation/paiement/notification', [InvoicesController, 'notify']).as('billing.payfip.notify')

familyRoutes(() => {
  router.get('/facturation', [InvoicesController, 'index']).as('billing.invoices')
  router.get('/facturation/paiement/retour', [InvoicesController, 'paymentReturn']).as('billing.payfip.return')
  // Before /facturation/:id, which would take "prelevement" for an invoice id.
  router.get('/facturation/prelevement', [SepaMandatesController, 'show']).as('billing.mandate')
  router.post('/facturation/prelevement', [SepaMandatesController, 'sign']).as('billing.mandate.sign')
  router.post('/facturation/prelevement/revocation', [SepaMandatesController, 'revoke']).as('billing.mandate.revoke')
  router.get('/facturation/:id', [InvoicesController, 'show']).as('billing.invoices.show')
  router.get('/facturation/:id/pdf', [InvoicesController, 'pdf']).as('billing.invoices.pdf')
  router.post('/facturation/:id/payer', [InvoicesController, 'pay']).as('billing.invoices.pay')
})

staffRoutes(() => {
  router.get('/facturation', [StaffBillingController, 'index']).as('billing.staff.index')
  router.post('/facturation/generer', [StaffBillingController, 'generate']).as('billing.staff.generate')
  router.get('/facturation/export.csv', [StaffBillingController, 'exportMonth']).as('billing.staff.export')
  router.get('/facturation/impayes', [StaffBillingController, 'unpaid']).as('billing.staff.unpaid')
  router.get('/facturation/impayes.csv', [StaffBillingController, 'exportUnpaid']).as('billing.staff.unpaid_export')
  router.get('/facturation/factures/:id', [StaffBillingController, 'show']).as('billing.staff.invoice')
  router.get('/facturation/factures/:id/pdf', [StaffBillingController, 'pdf']).as('billing.staff.invoice_pdf')
  router.post('/facturation/factures/:id/avoirs', [StaffBillingController, 'creditNote']).as('billing.staff.credit_note')
  router.post('/facturation/factures/:id/paiements', [StaffBillingController, 'payment']).as('billing.staff.payment')
  router.post('/facturation/trop-percus/:id/rembourse', [StaffBillingController, 'refundOverpayment']).as('billing.staff.overpayment_refunded')
  router.get('/facturation/prelevements', [SepaMandatesController, 'staffIndex']).as('billing.staff.mandates')
  router.post('/facturation/titres-pes', [StaffPesExportsController, 'store']).as('billing.staff.pes_export')
  router.get('/facturation/titres-pes/:id', [StaffPesExportsController, 'download']).as('billing.staff.pes_download')
  router.post('/facturation/prelevements/lots', [SepaDebitsController, 'create']).as('billing.staff.debit_batch.create')
  router.get('/facturation/prelevements/lots/:id/fichier', [SepaDebitsController, 'download']).as('billing.staff.debit_batch.download')
  acceptsUploads(router.post('/facturation/prelevements/retours', [SepaReturnsController, 'store']).as('billing.staff.debit_returns.store'), { staff: true })
  router.get('/facturation/tarifs', [StaffTariffsController, 'index']).as('billing.staff.tariffs')
  router.post('/facturation/tarifs', [StaffTariffsController, 'store']).as('billing.staff.tariffs.store')
}).prefix('/gestion')
