import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Page } from 'playwright'
import { browserClient } from '@japa/browser-client'
import type { Config } from '@japa/runner/types'
import type { Suite } from '@japa/runner/core'

/** Debian's Chromium (apt-get install -y chromium) or the one named by CHROMIUM_PATH. */
export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[]
  return candidates.find((path) => existsSync(path)) ?? null
}

export function browserPlugins(): NonNullable<Config['plugins']> {
  const executablePath = chromiumPath()
  if (!executablePath) return []
  return [
    browserClient({
      runInSuites: ['browser'],
      contextOptions: CONTEXT_OPTIONS,
      launcher: (config) =>
        chromium.launch({
          ...config,
          headless: true,
          executablePath,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--disable-dev-shm-usage',
          ],
        }),
    }),
  ]
}

const CONTEXT_OPTIONS = { locale: 'fr-FR', timezoneId: 'Europe/Paris' }

/**
 * Another user in a browser of their own (a new context, closed with the test), signed in.
 * Switching user in one context (clearCookies, then loginAs) keeps the session id the test
 * client started with: a request of the previous user still being served could then write
 * over the new user's session.
 */
export async function browserAs(browser: import('playwright').Browser, user: object) {
  const context = (await browser.newContext({
    baseURL: `http://${process.env.HOST}:${process.env.PORT}`,
    ...CONTEXT_OPTIONS,
  })) as any
  await context.loginAs(user)
  return context as { visit(url: string): Promise<Page>; close(): Promise<void> }
}

export function browserSuiteSetup(suite: Suite) {
  if (!chromiumPath()) {
    suite.setup(() => {
      throw new Error('Chromium introuvable : apt-get install -y chromium (ou CHROMIUM_PATH=/chemin/vers/chromium)')
    })
  }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[]; failureSummary?: string }[]
}

/** Runs axe-core (WCAG 2.1 A and AA) on the current page and returns its violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource)
  return page.evaluate(async () => {
    const scope = globalThis as any
    const result = await scope.axe.run(scope.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n: any) => ({ target: n.target, failureSummary: n.failureSummary })),
    }))
  })
}

/** Fails with a readable list when axe finds any violation on the page. */
export async function assertAccessible(page: Page) {
  const violations = await axeViolations(page)
  if (violations.length) {
    const lines = violations.map(
      (v) => `- ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`
    )
    throw new Error(`axe-core: ${violations.length} violation(s) sur ${page.url()}\n${lines.join('\n')}`)
  }
}
