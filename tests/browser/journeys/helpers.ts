import type { Browser, Locator, Page } from 'playwright'
import limiter from '@adonisjs/limiter/services/main'
import communeSettings from '#services/commune_settings'
import { seedDemoCommune } from '#services/demo_seeder'
import { DEMO_PASSWORD } from '#core/demo'
import { assertAccessible } from '#tests/helpers/browser'

/** The two viewports every journey runs at: a desktop screen and a phone (360 × 740). */
export const VIEWPORTS = [
  { name: 'bureau', width: 1280, height: 800 },
  { name: 'téléphone 360 × 740', width: 360, height: 740 },
] as const
export type Viewport = (typeof VIEWPORTS)[number]

let checked = 0
process.once('exit', () => {
  if (checked) console.log(`axe-core : ${checked} pages vérifiées sans violation dans les parcours`)
})

/** axe-core on the page (every page a journey meets), counted for the report. */
export async function checkPage(page: Page) {
  await page.waitForLoadState('load')
  await assertAccessible(page)
  checked += 1
}

export function pagesChecked() {
  return checked
}

/** The demo commune (families, agent, activities, days, tariffs) with the login limits cleared. */
export async function seedDemo() {
  communeSettings.invalidate()
  await limiter.clear(['memory'])
  const logins = await seedDemoCommune()
  communeSettings.invalidate()
  return logins
}

export { DEMO_PASSWORD }

/** Clicks (or presses Enter on) something that leads to another page, and waits for it. */
export async function follow(page: Page, target: Locator, url?: string | RegExp | ((url: URL) => boolean)) {
  // On a phone the main menu is folded behind its « Menu » button: a menu link not shown yet
  // is reached by opening it first, as a parent would.
  const toggle = page.locator('nav.main-nav--folding:not(.main-nav--open) .main-nav__toggle')
  if ((await toggle.isVisible()) && !(await target.isVisible())) await toggle.click()
  await Promise.all([page.waitForEvent('load'), target.click()])
  if (url) await page.waitForURL(url)
}

/** A link of the main menu (parent, public or staff). */
export function menuLink(page: Page, label: string) {
  return page.locator('nav.main-nav').getByRole('link', { name: label, exact: true })
}

/** The login form of the public home page or of /connexion, filled and sent with the mouse. */
export async function logInWithForm(page: Page, username: string, password: string) {
  const prefix = (await page.locator('#box-field-username').count()) ? '#box-' : '#'
  await page.locator(`${prefix}field-username`).fill(username)
  await page.locator(`${prefix}field-password`).fill(password)
  await Promise.all([page.waitForEvent('load'), page.locator('main').getByRole('button', { name: 'SE CONNECTER' }).click()])
  if (new URL(page.url()).pathname.startsWith('/connexion')) {
    throw new Error(`Connexion refusée pour ${username} : ${await page.locator('main').innerText()}`)
  }
}

/** A second browser (its own cookies), for the agent: the public home, then the login form. */
export async function agentWindow(browser: Browser, origin: string, username = 'agent', viewport?: Viewport) {
  const context = await browser.newContext({
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: viewport ? { width: viewport.width, height: viewport.height } : undefined,
  })
  const page = await context.newPage()
  await page.goto(`${origin}/`)
  await checkPage(page)
  await follow(page, page.getByRole('banner').getByRole('link', { name: 'Se connecter' }), /\/connexion$/)
  await checkPage(page)
  await logInWithForm(page, username, DEMO_PASSWORD)
  return { context, page }
}

/** Is this element the one that has the keyboard focus? */
export async function isFocused(target: Locator) {
  return target.evaluate((element) => element === (globalThis as any).document.activeElement)
}

/**
 * Moves the keyboard focus with Tab (or Shift+Tab) until it is on the target, as a keyboard
 * user would; fails when the target is never reached (not focusable, or a keyboard trap).
 */
export async function tabTo(page: Page, target: Locator, { backwards = false, max = 250 } = {}) {
  await target.waitFor({ state: 'attached' })
  for (let presses = 0; presses < max; presses++) {
    if (await isFocused(target)) return presses
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab')
  }
  if (await isFocused(target)) return max
  const description = await target.evaluate((element: any) => element.outerHTML.slice(0, 160))
  throw new Error(`Jamais atteint au clavier (${backwards ? 'Maj+Tab' : 'Tab'} × ${max}) : ${description}`)
}

/** Tab to a link or button and press Enter, waiting for the next page. */
export async function keyboardFollow(page: Page, target: Locator, url?: string | RegExp | ((url: URL) => boolean)) {
  await tabTo(page, target)
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')])
  if (url) await page.waitForURL(url)
}

/** Tab to a text field and type into it (the field's content replaced). */
export async function keyboardType(page: Page, target: Locator, text: string) {
  await tabTo(page, target)
  await page.keyboard.press('Control+A')
  await page.keyboard.press('Delete')
  await page.keyboard.type(text)
}

/** Nothing scrolls sideways at the phone width (WCAG 1.4.10 reflow). */
export async function pageWidth(page: Page) {
  return page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number)
}
