import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { useColomars } from '#tests/helpers/commune'
import moduleRegistry from '#core/module_registry'
import { assertAccessible, browserAs } from '#tests/helpers/browser'
import Registration from '#modules/inscriptions/models/registration'
import { isoInDays } from '#modules/inscriptions/tests/helpers'
import { createActivity, createActivityType, createFamily } from '#modules/inscriptions/tests/factories'
import { createUser } from '#tests/helpers/users'

test.group('inscriptions in Chromium', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => useColomars())

  test('a parent asks, the service validates, the parent sees « validée » and the way to the planning', async ({ visit, browser, browserContext, assert, cleanup }) => {
    const type = await createActivityType('Accueil de loisirs')
    const activity = await createActivity({
      activityTypeId: type.id,
      name: 'Mercredis',
      startsOn: isoInDays(3),
      endsOn: isoInDays(120),
      places: 12,
    })
    const {
      user: parent,
      family,
      children,
    } = await createFamily([
      { firstName: 'Lya', birthDate: '2018-05-10', classLevel: 'CP' },
      { firstName: 'Mael', birthDate: '2020-02-01', classLevel: 'MS' },
    ])
    const staff = await createUser('staff', { fullName: 'Agent Navigateur' })

    await browserContext.loginAs(parent)
    const page = await visit('/inscriptions')
    assert.equal(await page.title(), 'Mes inscriptions — Colomars')
    assert.include(await page.locator('main').innerText(), "Pas d'inscriptions, pas de demandes")
    await assertAccessible(page)

    await page.getByRole('link', { name: 'INSCRIRE' }).click()
    await page.waitForURL(/\/inscriptions\/demande/)
    await assertAccessible(page)
    await page.locator('#field-type').selectOption({ label: 'Accueil de loisirs' })
    await page.locator('#field-enfant').selectOption({ label: 'Lya' })
    await page.getByRole('button', { name: 'INSCRIRE' }).click()
    await page.waitForURL(/type=\d+&enfant=\d+/)
    assert.include(await page.locator('h1').innerText(), "SAISIE D'UNE DEMANDE D'INSCRIPTION")
    await assertAccessible(page)

    // a date before the activity: refused beside the field, the page stays accessible
    await page.locator('#field-activityId').selectOption({ value: String(activity.id) })
    await page.locator('#field-startDate').fill(isoInDays(1))
    await page.getByRole('button', { name: 'ENREGISTRER' }).click()
    await page.waitForSelector('.error-summary')
    assert.include(await page.locator('.error-summary').innerText(), 'Choisissez une date entre')
    await assertAccessible(page)

    await page.locator('#field-startDate').fill(isoInDays(7))
    await page.getByRole('button', { name: 'ENREGISTRER' }).click()
    await page.waitForURL(/\/inscriptions\?enfant=/)
    assert.include(
      await page.locator('.alert').first().innerText(),
      'Suite à la validation de la demande, vous pourrez réserver les jours sur le planning'
    )
    assert.include(await page.locator('main').innerText(), 'demandée')
    await assertAccessible(page)

    // the service validates from its queue
    const staffBrowser = await browserAs(browser, staff)
    cleanup(() => staffBrowser.close())
    const queue = await staffBrowser.visit('/gestion/inscriptions')
    await assertAccessible(queue)
    await queue.getByRole('button', { name: 'VALIDER Lya — Mercredis' }).click()
    await queue.waitForSelector('.alert')
    assert.include(await queue.locator('.alert').first().innerText(), 'Inscription validée : Lya — Mercredis.')
    await assertAccessible(queue)
    const registration = await Registration.query().where('family_id', family.id).where('child_id', children[0].id).firstOrFail()
    assert.equal(registration.state, 'validated')
    assert.equal(registration.decidedBy, staff.id)

    for (const url of [
      `/gestion/inscriptions/activites/${activity.id}`,
      '/gestion/inscriptions/activites',
      `/gestion/inscriptions/activites/${activity.id}/modifier`,
      '/gestion/inscriptions/types',
      `/gestion/inscriptions/${registration.id}/refuser`,
      `/gestion/inscriptions/${registration.id}/annuler`,
    ]) {
      const staffPage = await staffBrowser.visit(url)
      await assertAccessible(staffPage)
    }

    // the parent reads « validée » and is pointed to the planning
    const parentBrowser = await browserAs(browser, parent)
    cleanup(() => parentBrowser.close())
    const mine = await parentBrowser.visit('/inscriptions')
    const main = await mine.locator('main').innerText()
    assert.include(main, 'validée')
    if (moduleRegistry.isEnabled('planning')) {
      assert.isAbove(await mine.locator('a[href="/planning"]').count(), 0)
    } else {
      assert.include(main, 'vous réservez les jours auprès du service')
    }
    await assertAccessible(mine)
    const cancel = await parentBrowser.visit(`/inscriptions/${registration.id}/annuler`)
    await assertAccessible(cancel)
  })
})
