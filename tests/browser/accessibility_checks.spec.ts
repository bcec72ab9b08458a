import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import limiter from '@adonisjs/limiter/services/main'
import type { Page } from 'playwright'
import User from '#modules/accounts/models/user'
import { assertAccessible, browserAs } from '#tests/helpers/browser'
import { seedDemo } from '#tests/browser/journeys/helpers'
import { DEMO_PASSWORD } from '#core/demo'

/**
 * What axe-core cannot judge: errors tied to their fields and announced, titles that name the
 * page and the commune, headings without skipped levels, states never told by colour alone, and
 * the idle-session warning (RGAA 13.1).
 */

interface FormErrorState {
  summary: { role: string | null; focused: boolean; links: { text: string; href: string }[] } | null
  fields: { id: string; invalid: string | null; describedBy: string[]; errorText: string }[]
}

/** The error summary and every field marked invalid, with the texts its aria-describedby points at. */
async function formErrors(page: Page): Promise<FormErrorState> {
  return page.evaluate(() => {
    const doc = (globalThis as any).document
    const summary = doc.querySelector('.error-summary')
    const invalid = Array.from(doc.querySelectorAll('main [aria-invalid="true"]')) as any[]
    return {
      summary: summary
        ? {
            role: summary.getAttribute('role'),
            focused: doc.activeElement === summary,
            links: Array.from(summary.querySelectorAll('a')).map((link: any) => ({ text: link.textContent.trim(), href: link.getAttribute('href') })),
          }
        : null,
      fields: invalid.map((field) => {
        const describedBy = (field.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)
        return {
          id: field.id,
          invalid: field.getAttribute('aria-invalid'),
          describedBy,
          errorText: describedBy
            .map((id: string) => doc.getElementById(id))
            .filter((node: any) => node && node.classList.contains('field__error'))
            .map((node: any) => node.textContent.trim())
            .join(' '),
        }
      }),
    }
  })
}

/** Checks a refused form: summary announced and focused, each error linked to a field that points back at it. */
async function assertErrorsTiedToFields(page: Page, assert: any, expectedFields: string[]) {
  // the focus moves with a module script once the page has loaded
  await page.waitForFunction(() => {
    const doc = (globalThis as any).document
    return doc.activeElement && doc.activeElement.classList.contains('error-summary')
  })
  const state = await formErrors(page)
  assert.isNotNull(state.summary, 'un résumé des erreurs en haut du formulaire')
  assert.equal(state.summary!.role, 'alert')
  assert.isTrue(state.summary!.focused, 'le focus est sur le résumé des erreurs')
  assert.sameMembers(
    state.fields.map((field) => field.id),
    expectedFields
  )
  for (const field of state.fields) {
    assert.equal(field.invalid, 'true', field.id)
    assert.include(field.describedBy, `${field.id}-error`, `${field.id}: aria-describedby désigne le texte de l'erreur`)
    assert.isAbove(field.errorText.replace('Erreur :', '').trim().length, 3, `${field.id}: texte d'erreur`)
    const link = state.summary!.links.find((candidate) => candidate.href === `#${field.id}`)
    assert.isDefined(link, `${field.id}: un lien du résumé mène au champ`)
    // the summary says the same thing as the text beside the field
    assert.include(link!.text, field.errorText.replace(/^Erreur :\s*/, ''), field.id)
  }
  // no error in the summary without its field
  assert.equal(state.summary!.links.length, state.fields.length)
}

/** Headings in document order: one h1, first, and no level skipped on the way down. */
async function headingOutline(page: Page) {
  return page.evaluate(() =>
    (Array.from((globalThis as any).document.querySelectorAll('h1, h2, h3, h4, h5, h6')) as any[]).map((node) => ({
      level: Number(node.tagName.slice(1)),
      text: node.textContent.trim().replace(/\s+/g, ' ').slice(0, 60),
    }))
  )
}

function assertNoSkippedLevel(outline: { level: number; text: string }[], assert: any, url: string) {
  assert.isAbove(outline.length, 0, url)
  assert.equal(outline[0].level, 1, `${url}: le premier titre est le h1 (${outline[0].text})`)
  assert.equal(outline.filter((heading) => heading.level === 1).length, 1, `${url}: un seul h1`)
  for (let index = 1; index < outline.length; index++) {
    const previous = outline[index - 1]
    const current = outline[index]
    assert.isAtMost(current.level, previous.level + 1, `${url}: « ${previous.text} » (h${previous.level}) puis « ${current.text} » (h${current.level})`)
  }
}

test.group('Accessibilité : ce que axe-core ne vérifie pas', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => limiter.clear(['memory']))

  test('login form: each error is tied to its field, the summary is announced and takes the focus', async ({ visit, assert }) => {
    await seedDemo()
    const page = await visit('/connexion')
    await page.getByRole('main').getByRole('button', { name: 'SE CONNECTER' }).click()
    await page.waitForURL(/\/connexion$/)
    await assertErrorsTiedToFields(page, assert, ['field-username', 'field-password'])
    await assertAccessible(page)

    // a wrong password: the message is announced too, and the name typed is kept
    await page.locator('#field-username').fill('parent')
    await page.locator('#field-password').fill('Pas-Le-Bon-Mot-2026')
    await page.getByRole('main').getByRole('button', { name: 'SE CONNECTER' }).click()
    await page.waitForFunction(() => (globalThis as any).document.activeElement?.classList.contains('error-summary'))
    const summary = page.locator('.error-summary')
    assert.equal(await summary.getAttribute('role'), 'alert')
    assert.include(await summary.innerText(), "Nom d'utilisateur ou mot de passe incorrect")
    assert.equal(await page.locator('#field-username').inputValue(), 'parent')
  })

  test('message form: each error is tied to its field, the summary is announced and takes the focus', async ({ visit, browserContext, assert }) => {
    await seedDemo()
    await browserContext.loginAs(await User.findByOrFail('username', 'parent'))
    const page = await visit('/messagerie/nouveau')
    await page.locator('#field-service_id').selectOption('')
    await page.locator('#field-subject').fill('Un objet gardé')
    await page.getByRole('main').getByRole('button', { name: 'ENVOYER', exact: true }).click()
    await page.waitForURL(/\/messagerie\/nouveau/)
    await assertErrorsTiedToFields(page, assert, ['field-service_id', 'field-topic_id', 'field-body'])
    assert.equal(await page.locator('#field-subject').inputValue(), 'Un objet gardé')
    await assertAccessible(page)
  })

  test('the title names the page, then the commune, on a sample of pages', async ({ visit, browser, assert, cleanup }) => {
    await seedDemo()
    const titles: Record<string, string> = {
      '/': 'Accueil — Colomars',
      '/connexion': 'Connexion — Colomars',
      '/actualites': 'Actualités — Colomars',
      '/simulateur-tarifaire': 'Simulations tarifaires — Colomars',
      '/accessibilite': 'Accessibilité — Colomars',
    }
    for (const [url, title] of Object.entries(titles)) {
      assert.equal(await (await visit(url)).title(), title, url)
    }
    // The parent in a browser of their own (tests/helpers/browser.ts: browserAs).
    const parent = await browserAs(browser, await User.findByOrFail('username', 'parent'))
    cleanup(() => parent.close())
    const parentTitles: Record<string, string> = {
      '/dossier': 'Mon dossier — Colomars',
      '/dossier/coordonnees': 'Modifier mes coordonnées — Colomars',
      '/inscriptions': 'Mes inscriptions — Colomars',
      '/planning': 'Planning — Colomars',
      '/facturation': 'Mes factures — Colomars',
      '/messagerie/nouveau': 'Nous envoyer un message — Colomars',
    }
    for (const [url, title] of Object.entries(parentTitles)) {
      assert.equal(await (await parent.visit(url)).title(), title, url)
    }
    // the parent's home names the page too, not only the commune
    const home = await parent.visit('/accueil')
    assert.match(await home.title(), /^[^—]+ — Colomars$/)
    assert.notEqual((await home.title()).split(' — ')[0].trim(), 'Colomars')
  })

  test('headings do not skip levels on a sample of pages, planning and dossier included', async ({ visit, browser, assert, cleanup }) => {
    await seedDemo()
    for (const url of ['/', '/connexion', '/actualites', '/simulateur-tarifaire']) {
      assertNoSkippedLevel(await headingOutline(await visit(url)), assert, url)
    }
    // Each user in a browser of their own, never signed in over the visitor's session.
    const parent = await browserAs(browser, await User.findByOrFail('username', 'parent'))
    cleanup(() => parent.close())
    for (const url of ['/accueil', '/dossier', '/dossier/coordonnees', '/dossier/documents', '/inscriptions', '/planning', '/planning/recapitulatif', '/facturation', '/messagerie', '/messagerie/nouveau']) {
      assertNoSkippedLevel(await headingOutline(await parent.visit(url)), assert, url)
    }
    const agent = await browserAs(browser, await User.findByOrFail('username', 'agent'))
    cleanup(() => agent.close())
    for (const url of ['/gestion', '/gestion/familles', '/gestion/inscriptions', '/gestion/planning', '/gestion/facturation', '/gestion/messagerie']) {
      assertNoSkippedLevel(await headingOutline(await agent.visit(url)), assert, url)
    }
  })

  test('status is never told by colour alone: planning legend and days, state badges', async ({ visit, browserContext, assert }) => {
    await seedDemo()
    await browserContext.loginAs(await User.findByOrFail('username', 'parent'))
    // next month: the demo's bookings start a week from today
    const next = new Date()
    next.setUTCDate(1)
    next.setUTCMonth(next.getUTCMonth() + 1)
    const page = await visit(`/planning?vue=mois&date=${next.toISOString().slice(0, 10)}`)
    const legend = await page.locator('.planning-legend li').allInnerTexts()
    assert.isAtLeast(legend.length, 5)
    for (const item of legend) assert.isAbove(item.trim().length, 3, `légende : « ${item} »`)
    for (const words of ['Réservé', 'Réservable', 'Complet', "En liste d'attente", 'Fermé']) {
      assert.isTrue(legend.some((item) => item.includes(words)), `la légende dit « ${words} »`)
    }
    // every day that has a state says it in words, not only with its background
    const days = await page.evaluate(() =>
      (Array.from((globalThis as any).document.querySelectorAll('.cal-day')) as any[])
        .filter((cell) => !cell.classList.contains('cal-day--pad') && !cell.classList.contains('cal-day--none'))
        .map((cell) => ({ state: Array.from(cell.classList).find((name: any) => /^cal-day--(booked|bookable|full|waiting|closed|deadline|not_open|not_registered|holiday|booked_locked)$/.test(name)) ?? null, text: cell.querySelector('.cal-day__state')?.textContent.trim() ?? '' }))
        .filter((cell) => cell.state)
    )
    assert.isAbove(days.length, 0, 'des jours avec un état')
    // Lya has two activities on the same days: each box keeps its own id, so each label names its own box
    const duplicates = await page.evaluate(() => {
      const ids = (Array.from((globalThis as any).document.querySelectorAll('[id]')) as any[]).map((node) => node.id as string)
      return ids.filter((id, index) => ids.indexOf(id) !== index)
    })
    assert.deepEqual(duplicates, [], 'identifiants en double sur le planning')
    for (const day of days) assert.isAbove(day.text.length, 0, `${day.state} sans texte`)
    assert.isTrue(days.some((day) => day.state === 'cal-day--booked' && day.text === 'Réservé'))

    for (const url of ['/inscriptions', '/facturation']) {
      const list = await visit(url)
      const badges = await list.locator('main .badge').allInnerTexts()
      assert.isAbove(badges.length, 0, url)
      for (const badge of badges) assert.isAbove(badge.trim().length, 3, `${url}: badge « ${badge} »`)
    }
  })

  test('the idle-session warning lets the user stay connected before the session ends (RGAA 13.1)', async ({ browserContext, assert }) => {
    await seedDemo()
    // The origin without visiting a page first: signing in over a visitor's session is racy.
    const origin = `http://${process.env.HOST}:${process.env.PORT}`
    await browserContext.loginAs(await User.findByOrFail('username', 'parent'))
    const page = await browserContext.newPage()
    await page.clock.install()
    await page.goto(`${origin}/dossier`)
    await page.waitForLoadState('load')
    const minutes = Number(await page.locator('body').getAttribute('data-idle-minutes'))
    assert.isAbove(minutes, 2)
    const warning = page.locator('#session-warning')
    assert.equal(await warning.getAttribute('role'), 'alertdialog')
    assert.isTrue(await warning.isHidden())

    // the user was on a link when the warning came: the focus goes back there afterwards
    const link = page.locator('main a').first()
    await link.focus()
    // a minute before the warning: nothing yet
    await page.clock.fastForward((minutes - 3) * 60 * 1000)
    assert.isTrue(await page.evaluate(() => (globalThis as any).document.getElementById('session-warning').hidden))
    // two minutes before the end: shown, with the focus on its button
    await page.clock.fastForward(60 * 1000 + 1000)
    await warning.waitFor({ state: 'visible' })
    assert.isFalse(await page.evaluate(() => (globalThis as any).document.getElementById('session-warning').hidden))
    const stay = warning.getByRole('button', { name: 'Rester connecté' })
    assert.isTrue(await stay.evaluate((button) => button === (globalThis as any).document.activeElement))
    await assertAccessible(page)

    const [extended] = await Promise.all([page.waitForResponse((response) => new URL(response.url()).pathname === '/session/prolonger'), stay.click()])
    assert.equal(extended.status(), 204)
    await warning.waitFor({ state: 'hidden' })
    assert.isTrue(await link.evaluate((node) => node === (globalThis as any).document.activeElement), 'focus back on the link')
    // the count starts again: no warning a minute later, still logged in
    await page.clock.fastForward(60 * 1000)
    assert.isTrue(await warning.isHidden())
    await page.reload()
    assert.equal(new URL(page.url()).pathname, '/dossier')
  })

  test('a session that already ended says so, and what was typed comes back after signing in again (RGAA 7.1, 13.1)', async ({ browserContext, assert }) => {
    await seedDemo()
    const origin = `http://${process.env.HOST}:${process.env.PORT}`
    const parent = await User.findByOrFail('username', 'parent')
    await browserContext.loginAs(parent)
    const page = await browserContext.newPage()
    await page.clock.install()
    await page.goto(`${origin}/messagerie/nouveau`)
    await page.waitForLoadState('load')
    const minutes = Number(await page.locator('body').getAttribute('data-idle-minutes'))
    const text = 'Bonjour, Lya sera absente jeudi : rendez-vous chez le dentiste.'
    await page.locator('#field-body').fill(text)

    // The session ends on the server side (here: its cookie is gone) before the user answers the warning.
    await browserContext.clearCookies()
    await page.clock.fastForward((minutes - 2) * 60 * 1000 + 1000)
    const warning = page.locator('#session-warning')
    await warning.waitFor({ state: 'visible' })
    await warning.getByRole('button', { name: 'Rester connecté' }).click()
    await warning.getByText('Votre session a pris fin').waitFor()
    assert.isTrue(await warning.isVisible(), 'the box stays, saying the session ended')
    assert.isTrue(await warning.getByRole('button', { name: 'Rester connecté' }).isHidden())
    const reconnect = warning.getByRole('link', { name: 'Se reconnecter' })
    assert.equal(await reconnect.getAttribute('href'), '/messagerie/nouveau')
    assert.isTrue(await reconnect.evaluate((node) => node === (globalThis as any).document.activeElement), 'focus on « Se reconnecter »')
    await assertAccessible(page)

    // Signing in again brings the user back to the form, with the text.
    await reconnect.click()
    await page.waitForURL((url) => url.pathname === '/connexion')
    await page.locator('#field-username').fill('parent')
    await page.locator('#field-password').fill(DEMO_PASSWORD)
    await page.locator('main').getByRole('button', { name: 'SE CONNECTER' }).click()
    await page.waitForURL((url) => url.pathname === '/messagerie/nouveau')
    assert.equal(await page.locator('#field-body').inputValue(), text)
    assert.include(await page.locator('main').innerText(), 'Votre brouillon a été restauré')
  })
})
