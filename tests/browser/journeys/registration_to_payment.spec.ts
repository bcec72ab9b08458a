import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type { Page } from 'playwright'
import { DateTime } from 'luxon'
import Family from '#modules/dossier/models/family'
import Child from '#modules/dossier/models/child'
import Registration from '#modules/inscriptions/models/registration'
import Booking from '#modules/planning/models/booking'
import Invoice from '#modules/billing/models/invoice'
import { usePayfipSimulator } from '#modules/billing/tests/payfip_simulator'
import {
  VIEWPORTS,
  DEMO_PASSWORD,
  type Viewport,
  agentWindow,
  checkPage,
  follow,
  keyboardFollow,
  keyboardType,
  logInWithForm,
  menuLink,
  pageWidth,
  seedDemo,
  tabTo,
} from './helpers.js'

const ACTIVITY = 'Mercredis'

/** The days of the shown month the parent may still book for the child (unticked, enabled boxes). */
async function bookableDays(page: Page, childId: number) {
  return page.evaluate((prefix) => {
    const boxes = Array.from((globalThis as any).document.querySelectorAll(`input[type="checkbox"][id^="${prefix}"]`)) as any[]
    return boxes.filter((box) => !box.checked && !box.disabled).map((box) => box.id.slice(prefix.length) as string)
  }, `jour-${childId}-`)
}

/**
 * The parent's planning for the activity, moved on month by month with the arrow until two
 * days can be booked (the booking deadline of the coming week may have passed).
 */
async function monthWithBookableDays(page: Page, childId: number) {
  for (let months = 0; months < 3; months++) {
    const days = await bookableDays(page, childId)
    if (days.length >= 2) return days
    await follow(page, page.getByRole('link', { name: 'Période suivante' }))
    await checkPage(page)
  }
  throw new Error(`Aucun mois avec deux jours réservables pour ${ACTIVITY}`)
}

async function setBox(page: Page, id: string, checked: boolean, keyboard: boolean) {
  const box = page.locator(`#${id}`)
  if (keyboard) {
    await tabTo(page, box)
    await page.keyboard.press('Space')
  } else if (checked) {
    await box.check()
  } else {
    await box.uncheck()
  }
  if ((await box.isChecked()) !== checked) throw new Error(`${id} n'a pas changé`)
}

async function validateBasket(page: Page, keyboard: boolean) {
  const button = page.getByRole('button', { name: 'VALIDER', exact: true })
  if (keyboard) await keyboardFollow(page, button, /\/planning/)
  else await follow(page, button, /\/planning/)
  await page.locator('.planning-results').waitFor()
}

function journey(viewport: Viewport, keyboard: boolean) {
  return async ({ visit, browser, assert }: any) => {
    await seedDemo()
    const family = await Family.findByOrFail('reference', 'DEMO-001')
    const lya = await Child.query().where('family_id', family.id).where('first_name', 'Lya').firstOrFail()

    // ---- the parent logs in from the public home page
    const page: Page = await visit('/')
    await page.setViewportSize({ width: viewport.width, height: viewport.height })
    await checkPage(page)
    if (keyboard) {
      await keyboardType(page, page.locator('#box-field-username'), 'parent')
      await keyboardType(page, page.locator('#box-field-password'), DEMO_PASSWORD)
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')])
      await page.waitForURL(/\/accueil$/)
    } else {
      await logInWithForm(page, 'parent', DEMO_PASSWORD)
    }
    await checkPage(page)

    // ---- INSCRIPTIONS: Lya to the Wednesdays
    await follow(page, menuLink(page, 'INSCRIPTIONS'), /\/inscriptions$/)
    await checkPage(page)
    await follow(page, page.locator('main').getByRole('link', { name: 'INSCRIRE' }).first(), /\/inscriptions\/demande/)
    await checkPage(page)
    await page.locator('#field-type').selectOption({ label: 'Accueil de loisirs' })
    await page.locator('#field-enfant').selectOption({ label: 'Lya' })
    await follow(page, page.locator('main').getByRole('button', { name: 'INSCRIRE' }), /type=\d+&enfant=\d+/)
    assert.include(await page.locator('h1').innerText(), "SAISIE D'UNE DEMANDE D'INSCRIPTION")
    await checkPage(page)
    const activityOption = page.locator('#field-activityId option', { hasText: ACTIVITY })
    await page.locator('#field-activityId').selectOption(await activityOption.first().getAttribute('value'))
    const startDate = DateTime.now().setZone('Europe/Paris').plus({ days: 1 }).toISODate()!
    await page.locator('#field-startDate').fill(startDate)
    await follow(page, page.locator('main').getByRole('button', { name: 'ENREGISTRER' }), /\/inscriptions\?enfant=/)
    assert.include(await page.locator('main').innerText(), 'demandée')
    await checkPage(page)
    // the newest: the demo already has a requested registration of Lya (the summer holidays)
    const registration = await Registration.query().where('child_id', lya.id).where('state', 'requested').orderBy('id', 'desc').preload('activity').firstOrFail()
    assert.equal(registration.activity.name, ACTIVITY)

    // ---- the agent, in another browser, validates it from the queue
    const origin = new URL(page.url()).origin
    const agent = await agentWindow(browser, origin, 'agent', viewport)
    const staff: Page = agent.page
    let first = ''
    let second = ''
    try {
      await checkPage(staff)
      await follow(staff, menuLink(staff, 'INSCRIPTIONS'), /\/gestion\/inscriptions/)
      await checkPage(staff)
      await follow(staff, staff.getByRole('button', { name: `VALIDER Lya — ${ACTIVITY}` }))
      assert.include(await staff.locator('.alert').first().innerText(), `Inscription validée : Lya — ${ACTIVITY}.`)
      await checkPage(staff)
      await registration.refresh()
      assert.equal(registration.state, 'validated')

      // ---- the parent sees it validated, then books two Wednesdays in the basket
      await follow(page, menuLink(page, 'INSCRIPTIONS'), /\/inscriptions$/)
      assert.include(await page.locator('main').innerText(), 'validée')
      await checkPage(page)
      await follow(page, menuLink(page, 'PLANNING'), /\/planning/)
      await checkPage(page)
      await follow(page, page.locator('.planning-tabs').getByRole('link', { name: 'ACTIVITÉS' }))
      const activityLink = page.locator('.planning-children').getByRole('link', { name: ACTIVITY })
      if ((await activityLink.getAttribute('aria-current')) !== 'true') await follow(page, activityLink)
      await checkPage(page)
      const days = await monthWithBookableDays(page, lya.id)
      ;[first, second] = days
      for (const day of [first, second]) await setBox(page, `jour-${lya.id}-${day}`, true, keyboard)
      assert.include(await page.locator('[data-basket-status]').innerText(), '2 réservations en attente')
      await validateBasket(page, keyboard)
      const booked = await page.locator('.planning-results').innerText()
      assert.include(booked, '2 modifications enregistrées')
      await checkPage(page)
      assert.isAtMost(await pageWidth(page), viewport.width)

      // cancels the second one
      await setBox(page, `jour-${lya.id}-${second}`, false, keyboard)
      assert.include(await page.locator('[data-basket-status]').innerText(), '1 annulation en attente')
      await validateBasket(page, keyboard)
      assert.include(await page.locator('.planning-results').innerText(), 'Annulation')
      await checkPage(page)
      const bookings = await Booking.query().where('child_id', lya.id).where('activity_id', registration.activityId).orderBy('day')
      assert.deepEqual(
        bookings.map((booking) => booking.day),
        [first]
      )

      // ---- the agent takes attendance on the first day's sheet
      await follow(staff, menuLink(staff, 'PLANNING'), /\/gestion\/planning$/)
      await checkPage(staff)
      await follow(staff, staff.locator('main').getByRole('link', { name: ACTIVITY }).first(), /\/gestion\/planning\/activites\/\d+$/)
      await checkPage(staff)
      const firstLabel = DateTime.fromISO(first).toFormat('dd/LL/yyyy')
      await follow(staff, staff.locator('main').getByRole('link', { name: firstLabel, exact: true }), /\/gestion\/planning\/jours\/\d+$/)
      await checkPage(staff)
      const firstBooking = bookings[0]
      await staff.locator(`#attendance-${firstBooking.id}`).selectOption('present')
      await follow(staff, staff.getByRole('button', { name: 'ENREGISTRER LES PRÉSENCES' }))
      assert.include(await staff.locator('main').innerText(), 'Présences enregistrées (1 modification).')
      await checkPage(staff)
      await firstBooking.refresh()
      assert.equal(firstBooking.attendance, 'present')

      // ---- the agent issues the month's invoices
      const month = first.slice(0, 7)
      await follow(staff, menuLink(staff, 'FACTURATION'), /\/gestion\/facturation/)
      await checkPage(staff)
      await staff.locator('#field-month').fill(month)
      // The booked days are still to come: the month has not ended, so the run is forced.
      await staff.locator('#field-force').check()
      await follow(staff, staff.getByRole('button', { name: 'ÉMETTRE LES FACTURES DU MOIS' }))
      assert.match(await staff.locator('main').innerText(), /\d+ factures? émises? pour/)
      await checkPage(staff)
    } finally {
      await agent.context.close()
    }
    const invoice = await Invoice.query().where('family_id', family.id).where('month', first.slice(0, 7)).firstOrFail()
    assert.isAbove(invoice.balanceCents, 0)

    // ---- the parent pays it through PayFiP (the simulator) and sees it paid
    await follow(page, menuLink(page, 'FACTURATION'), /\/facturation$/)
    assert.include(await page.locator('main').innerText(), `Facture n° ${invoice.number}`)
    await checkPage(page)
    const invoiceLink = page.getByRole('link', { name: `Facture n° ${invoice.number}`, exact: true })
    if (keyboard) await keyboardFollow(page, invoiceLink, `**/facturation/${invoice.id}`)
    else await follow(page, invoiceLink, `**/facturation/${invoice.id}`)
    assert.include(await page.locator('main').innerText(), ACTIVITY)
    await checkPage(page)
    const pay = page.getByRole('button', { name: /^PAYER \d/ })
    if (keyboard) await keyboardFollow(page, pay, /\/tpa\/paiementws\.web\?idop=/)
    else await follow(page, pay, /\/tpa\/paiementws\.web\?idop=/)
    await checkPage(page)
    const card = page.getByRole('button', { name: 'Payer par carte' })
    if (keyboard) await keyboardFollow(page, card, `**/facturation/${invoice.id}`)
    else await follow(page, card, `**/facturation/${invoice.id}`)
    const paid = await page.locator('main').innerText()
    assert.include(paid, 'Votre paiement est enregistré : merci.')
    assert.include(paid, 'payée')
    await checkPage(page)
    await invoice.refresh()
    assert.equal(invoice.status, 'paid')
    await follow(page, menuLink(page, 'FACTURATION'), /\/facturation$/)
    assert.include(await page.locator('main').innerText(), 'Carte bancaire (PayFiP)')
    await checkPage(page)
    assert.isAtMost(await pageWidth(page), viewport.width)
  }
}

test.group('Parcours 3 — inscription, validation, réservations, présences, facture, paiement PayFiP', (group) => {
  const payfip = usePayfipSimulator(group)
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => payfip.simulator.operations.clear())

  for (const viewport of VIEWPORTS) {
    test(`à la souris (${viewport.name})`, journey(viewport, false)).timeout(300_000)
    test(`réservation et paiement au clavier seul (${viewport.name})`, journey(viewport, true)).timeout(300_000)
  }
})
