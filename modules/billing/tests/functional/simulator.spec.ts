import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { canteenTariff, createActivity, linearTariff } from '#modules/billing/tests/factories'

test.group('Public tariff simulator', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('is listed on the public home and works without login', async ({ client, assert }) => {
    const home = await client.get('/')
    assert.include(home.text(), 'SIMULATIONS TARIFAIRES')
    assert.include(home.text(), 'Calculez votre quotient familial, estimez vos tarifs')
    assert.include(home.text(), 'href="/simulateur-tarifaire"')
    const page = await client.get('/simulateur-tarifaire')
    page.assertStatus(200)
    assert.include(page.text(), '<form method="GET" action="/simulateur-tarifaire"')
    assert.notInclude(page.text(), 'Résultat')
  })

  test('a known QF gives each activity its price with the unit (plain GET, no JavaScript)', async ({ client, assert }) => {
    const canteen = await createActivity('Restauration scolaire 2026-2027')
    await canteenTariff(canteen.id)
    const leisure = await createActivity('Accueil de loisirs du mercredi')
    await linearTariff(leisure.id)
    const response = await client.get('/simulateur-tarifaire').qs({ qf: '1000', resident: 'yes', regime: 'CAF', rank: '1' })
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, 'quotient familial de 1\u202f000\u00a0€')
    assert.match(html, /Restauration scolaire 2026-2027[\s\S]*?3,05\s€<\/strong> le repas/)
    assert.match(html, /Accueil de loisirs du mercredi[\s\S]*?3,60\s€<\/strong> la journée/)
    assert.match(html, /Taux d(&#39;|&#x27;|')effort 0,36 % × QF 1\u202f000\u00a0€ = 3,60\u00a0€/)
    assert.include(html, 'Réservation hors délai : +2,50')
  })

  test('resources and benefits give the QF with the working, then the prices', async ({ client, assert }) => {
    const canteen = await createActivity('Cantine')
    await canteenTariff(canteen.id)
    const response = await client
      .get('/simulateur-tarifaire')
      .qs({ annualResources: '36 000', monthlyBenefits: '150', household: 'couple', children: '2', disabledChildren: '0', resident: 'yes', regime: 'CAF', rank: '1' })
    const html = response.text()
    assert.include(html, 'quotient familial de 1\u202f050\u00a0€')
    assert.include(html, 'Couple 2 parts + 1er enfant 0,5 part + 2e enfant 0,5 part = 3 parts')
    assert.match(html, /Cantine[\s\S]*?3,05\s€<\/strong> le repas/)
  })

  test('non-residents see the fixed price', async ({ client, assert }) => {
    const canteen = await createActivity('Cantine')
    await canteenTariff(canteen.id)
    const html = (await client.get('/simulateur-tarifaire').qs({ qf: '300', resident: 'no' })).text()
    assert.match(html, /6,50\s€<\/strong> le repas/)
    assert.include(html, 'Tarif hors commune')
  })

  test('wrong input comes back with the errors beside the fields and the input kept', async ({ client, assert }) => {
    const html = (await client.get('/simulateur-tarifaire').qs({ qf: 'beaucoup', annualResources: '' })).text()
    assert.include(html, 'Le formulaire contient une erreur')
    assert.include(html, 'Indiquez un quotient en euros, nombre entier')
    assert.include(html, 'value="beaucoup"')
    assert.include(html, 'aria-invalid="true"')
    assert.notInclude(html, 'Résultat')
    const empty = (await client.get('/simulateur-tarifaire').qs({ qf: '', annualResources: '' })).text()
    assert.include(empty, 'Indiquez votre quotient familial, ou vos ressources')
  })
})
