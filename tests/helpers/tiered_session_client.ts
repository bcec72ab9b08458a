import { ApiClient } from '@japa/api-client'
import { decoratorsCollection } from '@japa/browser-client'
import type { PluginFn } from '@japa/runner/types'
import { SESSION_DATA_COOKIE } from '#core/tiered_session_store'

/**
 * AdonisJS's session plugin for the test client reads a response's session from the memory
 * store only, under the id of the response's session cookie. Two things differ here:
 * - a visitor's session travels in the encrypted data cookie (app/core/tiered_session_store.ts):
 *   when the response carries one, `response.session()` and `response.flashMessages()` read it;
 * - the server does not send an unchanged session id again
 *   (app/middleware/unchanged_session_cookie_middleware.ts): the plugin then finds no id and
 *   destroys the request's session unread; it is read just before, as a browser would keep it.
 */
export function tieredSessionApiClient(): PluginFn {
  return () => {
    ApiClient.onRequest((request) => {
      let keptSession: { values: any; flashMessages: any } | undefined
      request.setup(() => {
        const client = request.sessionClient
        const destroy = client.destroy.bind(client)
        client.destroy = async (sessionId?: string) => {
          if (!sessionId) keptSession = await client.load(client.sessionId)
          return destroy(sessionId)
        }
      })
      request.teardown((response) => {
        if (keptSession) response.sessionBag = keptSession
        const cookie = response.cookie(SESSION_DATA_COOKIE)?.value
        if (!cookie || typeof cookie !== 'object' || !('data' in cookie)) return
        const { __flash__: flashMessages = {}, ...values } = cookie.data
        response.sessionBag = { values, flashMessages }
      })
    })
  }
}

/**
 * The browser client's `loginAs` writes the session into the memory store under the id the
 * browser already holds; a visitor's data cookie for that id would still say the session lives
 * in the cookie. Like a real login, which moves the session server-side, the data cookie goes.
 */
export function tieredSessionBrowserClient(): PluginFn {
  return () => {
    decoratorsCollection.register({
      context(context) {
        const initiateSession = context.initiateSession
        context.initiateSession = async function (options) {
          await initiateSession.call(this, options)
          await this.clearCookies({ name: SESSION_DATA_COOKIE })
        }
      },
    })
  }
}

/**
 * AdonisJS's `loginAs` for a browser context starts writing the session cookie and the session
 * (`context.setCookie`, `context.setSession`) without waiting for them: on a loaded machine the
 * test's first visit could go out before, as a visitor, and land on the login page. Registered
 * after the auth plugin, this `loginAs` returns only once both are written.
 */
export function awaitedBrowserLogin(): PluginFn {
  return () => {
    decoratorsCollection.register({
      context(context) {
        const started: Promise<unknown>[] = []
        for (const name of ['setSession', 'setCookie'] as const) {
          const original = (context as any)[name]
          if (typeof original !== 'function') continue
          ;(context as any)[name] = function (this: unknown, ...args: unknown[]) {
            const written = original.apply(this, args)
            started.push(written)
            return written
          }
        }
        const loginAs = (context as any).loginAs
        if (typeof loginAs !== 'function') return
        ;(context as any).loginAs = async function (this: unknown, ...args: unknown[]) {
          await loginAs.apply(this, args)
          while (started.length) await Promise.all(started.splice(0))
        }
      },
    })
  }
}
