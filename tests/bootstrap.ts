import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import testUtils from '@adonisjs/core/services/test_utils'
import { sessionApiClient } from '@adonisjs/session/plugins/api_client'
import { shieldApiClient } from '@adonisjs/shield/plugins/api_client'
import { authApiClient } from '@adonisjs/auth/plugins/api_client'
import { sessionBrowserClient } from '@adonisjs/session/plugins/browser_client'
import { authBrowserClient } from '@adonisjs/auth/plugins/browser_client'
import { browserPlugins, browserSuiteSetup } from '#tests/helpers/browser'
import { prepareTestDatabase } from '#tests/helpers/database'
import visitorPageCache from '#core/visitor_page_cache'
import communeSettings from '#services/commune_settings'
import { FamilyPageCache } from '#core/family_page_cache'
import { awaitedBrowserLogin, tieredSessionApiClient, tieredSessionBrowserClient } from '#tests/helpers/tiered_session_client'

export const plugins: Config['plugins'] = [
  assert(),
  apiClient(),
  pluginAdonisJS(app),
  sessionApiClient(app),
  tieredSessionApiClient(),
  shieldApiClient(),
  authApiClient(app),
  ...browserPlugins(),
  sessionBrowserClient(app),
  tieredSessionBrowserClient(),
  authBrowserClient(app),
  awaitedBrowserLogin(),
]

export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [() => prepareTestDatabase()],
  teardown: [],
}

/**
 * Each test's data is rolled back after it, but what the process keeps in memory for a few
 * seconds is not: no test sees a page, or a commune name, cached from another's rolled-back writes.
 */
function forgetWhatOtherTestsCached() {
  visitorPageCache.invalidate()
  FamilyPageCache.invalidateAll()
  communeSettings.invalidate()
}

export const configureSuite: Config['configureSuite'] = (suite) => {
  if (['browser', 'functional', 'e2e'].includes(suite.name)) {
    suite.setup(() => testUtils.httpServer().start())
    suite.onTest((test) => test.setup(forgetWhatOtherTestsCached))
    suite.onGroup((group) => group.each.setup(forgetWhatOtherTestsCached))
  }
  if (suite.name === 'browser') {
    browserSuiteSetup(suite)
  }
}
