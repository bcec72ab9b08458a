import { test } from '@japa/runner'
import mail from '@adonisjs/mail/services/main'
import { assertAccessible, browserAs } from '#tests/helpers/browser'
import { createUser } from '#tests/helpers/users'
import { createAgent, createFamily, seedCatalog } from '#modules/messaging/tests/factories'
import { isolateMessagingTests, PDF } from '#modules/messaging/tests/fixtures'
import mailQueue from '#services/mail_queue'

test.group('Messagerie dans Chromium', (group) => {
  isolateMessagingTests(group)

  test('a parent writes to the Service Enfance with a file and a confirmation, an agent answers, the parent reads it', async ({ visit, browser, browserContext, assert, cleanup }) => {
    const { enfance } = await seedCatalog()
    const { parent } = await createFamily()
    const agent = await createAgent(enfance.id)
    const { messages } = mail.fake()

    await browserContext.loginAs(parent)
    const form = await visit('/messagerie/nouveau')
    assert.equal(await form.title(), 'Nous envoyer un message — Colomars')
    await assertAccessible(form)

    // refused first: the errors are listed, announced and accessible
    await form.getByRole('button', { name: 'ENVOYER', exact: true }).click()
    await form.waitForSelector('.error-summary')
    assert.include(await form.locator('.error-summary').innerText(), 'Choisissez le service à qui écrire.')
    await assertAccessible(form)

    await form.getByLabel('Service').selectOption({ label: 'Service Enfance' })
    await form.getByLabel('Thème').selectOption({ label: 'Remise de justificatif (absence,...)' })
    await form.getByLabel('Objet').fill('Absence de Lya')
    await form.locator('#field-body').fill('Lya était malade le 3 juin. Voici le certificat.')
    await form.locator('#field-attachments').setInputFiles({ name: 'certificat.pdf', mimeType: 'application/pdf', buffer: PDF })
    await form.getByLabel('Confirmation par email').check()
    await form.getByRole('button', { name: 'ENVOYER', exact: true }).click()
    await form.waitForURL(/\/messagerie\/\d+$/)
    assert.include(await form.locator('main').innerText(), 'Votre message est envoyé au Service Enfance.')
    assert.include(await form.locator('.thread').innerText(), 'certificat.pdf')
    await assertAccessible(form)
    await mailQueue.drain()
    messages.assertSent({ to: parent.email!, subject: 'Accusé de réception de votre message — Colomars' })
    const conversationUrl = new URL(form.url()).pathname

    for (const url of ['/messagerie', '/messagerie/envoyes', '/messagerie/preferences']) {
      await assertAccessible(await visit(url))
    }
    // Each user in a browser of their own (tests/helpers/browser.ts: browserAs).
    const agentBrowser = await browserAs(browser, agent)
    cleanup(() => agentBrowser.close())
    const inbox = await agentBrowser.visit('/gestion/messagerie')
    await assertAccessible(inbox)
    await inbox.getByRole('link', { name: 'Absence de Lya' }).click()
    await inbox.waitForURL(/\/gestion\/messagerie\/\d+$/)
    assert.include(await inbox.locator('.thread').innerText(), 'Lya était malade le 3 juin.')
    await assertAccessible(inbox)
    await inbox.locator('#field-body').fill('Bien reçu, le certificat est accepté. Bonne journée.')
    await inbox.getByRole('button', { name: 'ENVOYER LA RÉPONSE' }).click()
    await inbox.waitForSelector('text=Votre réponse est envoyée à la famille.')
    await assertAccessible(inbox)
    await assertAccessible(await agentBrowser.visit('/gestion/messagerie/preferences'))

    const parentBrowser = await browserAs(browser, parent)
    cleanup(() => parentBrowser.close())
    const home = await parentBrowser.visit('/accueil')
    assert.include(await home.locator('main').innerText(), '1 message non lu')
    await assertAccessible(home)
    const received = await parentBrowser.visit('/messagerie')
    await assertAccessible(received)
    await received.getByRole('link', { name: 'Absence de Lya' }).click()
    await received.waitForURL((url) => url.pathname === conversationUrl)
    assert.include(await received.locator('.thread').innerText(), 'Bien reçu, le certificat est accepté.')
    await assertAccessible(received)
  })

  test('the services and topics page is accessible to an administrator', async ({ visit, browserContext }) => {
    await seedCatalog()
    const admin = await createUser('admin')
    await browserContext.loginAs(admin)
    await assertAccessible(await visit('/gestion/messagerie/services'))
  })
})
