import { defineModule } from '#core/module_manifest'
import { lazyImport } from '#core/lazy_import'

const dossierModule = lazyImport(() => import('#modules/dossier/index'))
const invoiceServiceModule = lazyImport(() => import('#modules/billing/services/invoice_service'))
const familyExportModule = lazyImport(() => import('#modules/billing/services/family_export'))
const basketPricingModule = lazyImport(() => import('#modules/billing/services/basket_pricing'))
const invoiceEstimateModule = lazyImport(() => import('#modules/billing/services/invoice_estimate'))

export default defineModule({
  name: 'billing',
  label: 'Facturation',
  description:
    'Tarifs au quotient familial, simulateur public, factures mensuelles, avoirs, paiements (PayFiP, chèque, espèces, CESU) et impayés.',
  dependsOn: ['accounts', 'dossier', 'inscriptions', 'planning'],
  // PayFiP's payment notification is a server-to-server POST (billing re-reads it from PayFiP).
  csrfExemptRoutes: ['/facturation/paiement/notification'],
  // The PayFiP simulator of a developer's machine, once the web server listens.
  ready: async () => {
    const { default: startInProcessSimulator } = await import('#modules/billing/simulator/start_in_process')
    await startInProcessSimulator()
  },
  parentNav: [{ label: 'FACTURATION', route: 'billing.invoices', order: 50, activePrefix: '/facturation' }],
  staffNav: [
    { label: 'FACTURATION', route: 'billing.staff.index', order: 50, activePrefix: '/gestion/facturation' },
  ],
  tiles: [
    {
      title: 'Paiement',
      icon: 'euro',
      order: 50,
      links: [{ label: 'Payer vos factures', route: 'billing.invoices' }],
      summary: async (ctx) => {
        const { familyService } = await dossierModule()
        const { default: invoiceService } = await invoiceServiceModule()
        const family = await familyService.familyForUser(ctx.auth.user)
        return family ? invoiceService.pendingSummary(family.id) : null
      },
    },
  ],
  parentHomeSections: [
    {
      // The next invoice estimated from the month's bookings, priced as the invoice run will price them.
      order: 50,
      render: async (ctx) => {
        const { familyService } = await dossierModule()
        const family = await familyService.familyForUser(ctx.auth.user)
        const estimate = family ? await (await invoiceEstimateModule()).estimateInvoice(family.id) : null
        return estimate ? ctx.view.render('billing::partials/invoice_estimate', { estimate }) : ''
      },
    },
  ],
  hooks: {
    'dossier.retention-reason': async (familyId) => (await invoiceServiceModule()).default.retentionReason(familyId),
    'planning.basket-prices': async (familyId, changes) => (await basketPricingModule()).default(familyId, changes),
  },
  contributions: {
    // The family's RGPD export: its SEPA mandates (IBAN in full) and invoices.
    'dossier.export-section': async (familyId) => (await familyExportModule()).default(familyId),
  },
  slots: {
    'dossier.history.aside': async (ctx) => {
      const { familyService } = await dossierModule()
      const { default: invoiceService } = await invoiceServiceModule()
      const family = await familyService.familyForUser(ctx.auth.user)
      return family ? { title: 'Factures en attente', text: await invoiceService.openInvoicesLine(family.id) } : null
    },
  },
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
