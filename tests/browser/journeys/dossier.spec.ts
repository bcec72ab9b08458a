import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Family from '#modules/dossier/models/family'
import FamilyDocument from '#modules/dossier/models/family_document'
import { VIEWPORTS, DEMO_PASSWORD, checkPage, follow, logInWithForm, menuLink, pageWidth, seedDemo } from './helpers.js'

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

test.group('Parcours 2 — vérifier et modifier son dossier, transmettre un document', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  for (const viewport of VIEWPORTS) {
    test(`MON DOSSIER, Modifier mes coordonnées, Mes documents, Suivi de mes démarches (${viewport.name})`, async ({ visit, assert }) => {
      await seedDemo()
      const page = await visit('/')
      await page.setViewportSize({ width: viewport.width, height: viewport.height })
      await checkPage(page)
      await logInWithForm(page, 'parent', DEMO_PASSWORD)
      assert.equal(new URL(page.url()).pathname, '/accueil')
      await checkPage(page)

      // the home tile of the guide: « Consulter mon dossier et mes démarches »
      await follow(page, page.locator('main').getByRole('link', { name: 'Consulter mon dossier et mes démarches' }), /\/dossier$/)
      assert.equal(await page.title(), 'Mon dossier — Colomars')
      const file = await page.locator('main').innerText()
      assert.include(file, 'DEMO-001')
      assert.include(file, 'Lya')
      assert.include(file, 'Mael')
      await checkPage(page)
      assert.isAtMost(await pageWidth(page), viewport.width)

      await follow(page, page.locator('main').getByRole('link', { name: 'Modifier mes coordonnées' }).first(), /\/dossier\/coordonnees$/)
      await checkPage(page)
      // a wrong postal code first: refused beside the field, the other input kept
      await page.locator('#field-address').fill('12 avenue des Mimosas')
      await page.locator('#field-postalCode').fill('066')
      await follow(page, page.getByRole('button', { name: 'ENREGISTRER' }), /\/dossier\/coordonnees/)
      assert.include(await page.locator('.error-summary').innerText(), 'Code postal')
      assert.equal(await page.locator('#field-address').inputValue(), '12 avenue des Mimosas')
      await checkPage(page)

      await page.locator('#field-postalCode').fill('06670')
      await page.locator('#field-mobilePhone').fill('06 98 76 54 32')
      await follow(page, page.getByRole('button', { name: 'ENREGISTRER' }))
      assert.include(await page.locator('main').innerText(), 'Vos coordonnées ont été enregistrées.')
      await checkPage(page)
      const family = await Family.findByOrFail('reference', 'DEMO-001')
      assert.equal(family.address, '12 avenue des Mimosas')
      assert.equal(family.mobilePhone, '06 98 76 54 32')

      await follow(page, page.getByRole('navigation', { name: 'Rubriques de mon dossier' }).getByRole('link', { name: 'Mon dossier' }), /\/dossier$/)
      const updated = await page.locator('main').innerText()
      assert.include(updated, '12 avenue des Mimosas')
      assert.include(updated, '06 98 76 54 32')
      await checkPage(page)

      // Mes documents: the limit is said before the upload; the file goes to the service
      await follow(page, page.getByRole('navigation', { name: 'Rubriques de mon dossier' }).getByRole('link', { name: 'Mes documents' }), /\/dossier\/documents$/)
      assert.include(await page.locator('#field-document-hint').innerText(), '40 Mo')
      await checkPage(page)
      await page.locator('#field-category').selectOption({ label: 'Attestation de quotient familial' })
      await page.locator('#field-document').setInputFiles({ name: 'attestation-caf.pdf', mimeType: 'application/pdf', buffer: PDF })
      await follow(page, page.locator('main').getByRole('button', { name: 'ENVOYER' }))
      const documents = await page.locator('main').innerText()
      assert.include(documents, 'attestation-caf.pdf')
      assert.include(documents, 'En attente de vérification')
      await checkPage(page)
      const stored = await FamilyDocument.query().where('family_id', family.id).where('name', 'attestation-caf.pdf').firstOrFail()
      assert.equal(stored.state, 'pending')
      assert.equal(stored.origin, 'family')

      // every change is dated in « Suivi de mes démarches »
      await follow(page, page.getByRole('navigation', { name: 'Rubriques de mon dossier' }).getByRole('link', { name: 'Suivi de mes démarches' }), /\/dossier\/demarches/)
      const history = await page.locator('main').innerText()
      assert.include(history, 'attestation-caf.pdf')
      assert.match(history, /coordonnées/i)
      await checkPage(page)
      assert.isAtMost(await pageWidth(page), viewport.width)

      // and back to the home page through the menu
      await follow(page, menuLink(page, 'ACCUEIL'), /\/accueil$/)
      await checkPage(page)
    })
  }
})
