import router from '@adonisjs/core/services/router'

const TariffSimulatorController = () => import('#modules/billing/controllers/tariff_simulator_controller')

router.get('/simulateur-tarifaire', [TariffSimulatorController, 'show']).as('billing.simulator')
