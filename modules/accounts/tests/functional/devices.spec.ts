import { test } from '@japa/runner'
import limiter from '@adonisjs/limiter/services/main'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import { CookieAgent, GOOD_PASSWORD, makeUser } from '#modules/accounts/tests/helpers'

const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0'
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'

/** The rows of the "Appareils mémorisés" table: [device, remembered on, last used, expires]. */
function deviceRows(html: string): string[][] {
  const table = /<caption[^>]*>\s*Appareils mémorisés[\s\S]*?<\/table>/.exec(html)?.[0] ?? ''
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .map((row) => [...row[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].slice(0, 4).map((cell) => cell[1].trim()))
    .filter((cells) => cells.length === 4)
}

/** "01/12/2026 à 21:05", today in Paris, give or take the minute the test took. */
function parisToday(format: string) {
  return DateTime.utc().setZone('Europe/Paris').toFormat(format)
}

async function rememberedAgent(userAgent: string) {
  const user = await makeUser()
  const agent = new CookieAgent({ userAgent })
  const logged = await agent.post('/connexion', { username: user.username, password: GOOD_PASSWORD, remember: 'on' })
  if (logged.location !== '/accueil') throw new Error(`connexion refusée : ${logged.location}`)
  return { user, agent }
}

/** Ends the session but keeps the remember-me cookie: the next page reopens a session from it. */
function closeBrowser(agent: CookieAgent) {
  for (const name of [...agent.jar.keys()]) if (name !== 'remember_web') agent.jar.delete(name)
}

test.group('Mon compte — appareils mémorisés', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))

  test('a remembered device is named after its browser and shows real dates', async ({ assert }) => {
    const { agent } = await rememberedAgent(FIREFOX_WINDOWS)
    const page = await agent.get('/mon-compte')
    assert.equal(page.status, 200)
    assert.notInclude(page.text, 'Invalid DateTime')
    assert.notInclude(page.text, 'Appareil inconnu')
    const rows = deviceRows(page.text)
    assert.lengthOf(rows, 1)
    const [label, remembered, lastUsed, expires] = rows[0]
    assert.equal(label, 'Firefox sur Windows')
    assert.match(remembered, new RegExp(`^${parisToday('dd/MM/yyyy').replace(/\//g, '\\/')} à \\d{2}:\\d{2}$`))
    assert.match(lastUsed, /^\d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}$/)
    assert.equal(expires, DateTime.utc().plus({ days: 30 }).setZone('Europe/Paris').toFormat('dd/MM/yyyy'))
  })

  test('a session reopened from the cookie keeps the device name and the day it was remembered', async ({ assert }) => {
    const { user, agent } = await rememberedAgent(FIREFOX_WINDOWS)
    const lastWeek = DateTime.utc().minus({ days: 7 })
    await db.from('remember_me_tokens').where('tokenable_id', user.id).update({ created_at: lastWeek.toJSDate() })
    const before = await db.from('remember_me_tokens').where('tokenable_id', user.id).firstOrFail()

    closeBrowser(agent)
    const page = await agent.get('/mon-compte')
    assert.equal(page.status, 200)
    const rows = await db.from('remember_me_tokens').where('tokenable_id', user.id)
    assert.lengthOf(rows, 1)
    assert.notEqual(rows[0].id, before.id, 'the guard recycles the token')
    const [label, remembered] = deviceRows(page.text)[0]
    assert.equal(label, 'Firefox sur Windows')
    assert.match(remembered, new RegExp(`^${lastWeek.setZone('Europe/Paris').toFormat('dd/MM/yyyy').replace(/\//g, '\\/')} à`))
  })

  test('a device remembered before devices were named gets a name when it comes back', async ({ assert }) => {
    const { user, agent } = await rememberedAgent(SAFARI_IPHONE)
    await db.from('remember_me_tokens').where('tokenable_id', user.id).update({ device_label: null })
    closeBrowser(agent)
    await agent.get('/accueil')
    const [label] = deviceRows((await agent.get('/mon-compte')).text)[0]
    assert.equal(label, 'Safari sur iOS')
  })

  test('several remembered devices are listed, each under its own name', async ({ assert }) => {
    const user = await makeUser()
    for (const ua of [SAFARI_IPHONE, FIREFOX_WINDOWS]) {
      await new CookieAgent({ userAgent: ua }).post('/connexion', { username: user.username, password: GOOD_PASSWORD, remember: 'on' })
    }
    const viewer = new CookieAgent({ userAgent: FIREFOX_WINDOWS })
    await viewer.post('/connexion', { username: user.username, password: GOOD_PASSWORD })
    const labels = deviceRows((await viewer.get('/mon-compte')).text).map((row) => row[0])
    assert.sameMembers(labels, ['Safari sur iOS', 'Firefox sur Windows'])
  })
})
