import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Conversation from '#modules/messaging/models/conversation'
import { VIEWPORTS, DEMO_PASSWORD, agentWindow, checkPage, follow, logInWithForm, menuLink, pageWidth, seedDemo } from './helpers.js'

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

test.group('Parcours 4 — écrire au service avec une pièce jointe, lire sa réponse', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  for (const viewport of VIEWPORTS) {
    test(`la famille écrit, l'agent répond, la famille lit la réponse (${viewport.name})`, async ({ visit, browser, assert }) => {
      await seedDemo()
      const subject = `Certificat pour Mael (${viewport.width})`
      const page = await visit('/')
      await page.setViewportSize({ width: viewport.width, height: viewport.height })
      await checkPage(page)
      await logInWithForm(page, 'parent', DEMO_PASSWORD)
      await checkPage(page)

      // « Communiquer avec le service enfance », the link of the home tile
      await follow(page, page.locator('main').getByRole('link', { name: 'Communiquer avec le service enfance' }), /\/messagerie\/nouveau/)
      assert.equal(await page.title(), 'Nous envoyer un message — Colomars')
      await checkPage(page)
      assert.isAtMost(await pageWidth(page), viewport.width)

      await page.locator('#field-service_id').selectOption({ label: 'Service Enfance' })
      await page.locator('#field-topic_id').selectOption({ label: 'Remise de justificatif (absence,...)' })
      await page.locator('#field-subject').fill(subject)
      await page.locator('#field-body').fill('Bonjour, Mael était malade lundi. Voici le certificat médical.')
      await page.locator('#field-attachments').setInputFiles({ name: 'certificat-mael.pdf', mimeType: 'application/pdf', buffer: PDF })
      await follow(page, page.locator('main').getByRole('button', { name: 'ENVOYER', exact: true }), /\/messagerie\/\d+$/)
      assert.include(await page.locator('main').innerText(), 'Votre message est envoyé au Service Enfance.')
      assert.include(await page.locator('.thread').innerText(), 'certificat-mael.pdf')
      await checkPage(page)
      const conversationPath = new URL(page.url()).pathname

      // the sent messages list it
      await follow(page, menuLink(page, 'MESSAGERIE'), /\/messagerie$/)
      await checkPage(page)
      await follow(page, page.locator('main').getByRole('link', { name: /Message\(s\) envoyé\(s\)/ }).first(), /\/messagerie\/envoyes$/)
      assert.include(await page.locator('main').innerText(), subject)
      await checkPage(page)

      // the agent, in another browser, logs in with the form and answers from the shared inbox
      const origin = new URL(page.url()).origin
      const agent = await agentWindow(browser, origin, 'agent', viewport)
      try {
        assert.equal(new URL(agent.page.url()).pathname, '/gestion')
        await checkPage(agent.page)
        await follow(agent.page, menuLink(agent.page, 'MESSAGERIE'), /\/gestion\/messagerie/)
        await checkPage(agent.page)
        await follow(agent.page, agent.page.locator('main').getByRole('link', { name: subject }), /\/gestion\/messagerie\/\d+$/)
        const thread = await agent.page.locator('.thread').innerText()
        assert.include(thread, 'Mael était malade lundi')
        assert.include(thread, 'certificat-mael.pdf')
        await checkPage(agent.page)
        await agent.page.locator('#field-body').fill('Bien reçu : l’absence de Mael est justifiée et ne sera pas facturée.')
        await follow(agent.page, agent.page.getByRole('button', { name: 'ENVOYER LA RÉPONSE' }))
        assert.include(await agent.page.locator('main').innerText(), 'Votre réponse est envoyée à la famille.')
        await checkPage(agent.page)
      } finally {
        await agent.context.close()
      }

      // the parent sees the unread answer from the home page, then reads it
      await follow(page, menuLink(page, 'ACCUEIL'), /\/accueil$/)
      assert.match(await page.locator('main').innerText(), /message(s)? non lu/)
      await checkPage(page)
      await follow(page, menuLink(page, 'MESSAGERIE'), /\/messagerie$/)
      await checkPage(page)
      await follow(page, page.locator('main').getByRole('link', { name: subject }), (url) => url.pathname === conversationPath)
      assert.include(await page.locator('.thread').innerText(), 'l’absence de Mael est justifiée')
      await checkPage(page)
      assert.isAtMost(await pageWidth(page), viewport.width)
      const conversation = await Conversation.query().where('subject', subject).firstOrFail()
      assert.equal(conversation.topicName, 'Remise de justificatif (absence,...)')
    })
  }
})
