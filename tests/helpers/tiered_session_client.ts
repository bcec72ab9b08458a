import { ApiClient } from '@japa/api-client'
import type { PluginFn } from '@japa/runner/types'
import { SESSION_DATA_COOKIE } from '#core/tiered_session_store'

/**
 * AdonisJS's session plugin for the test client reads a response's session from the memory
 * store only. A visitor's session travels in the encrypted data cookie
 * (app/core/tiered_session_store.ts): when the response carries one, `response.session()`
 * and `response.flashMessages()` read it from there.
 */
export function tieredSessionApiClient(): PluginFn {
  return () => {
    ApiClient.onRequest((request) => {
      request.teardown((response) => {
        const cookie = response.cookie(SESSION_DATA_COOKIE)?.value
        if (!cookie || typeof cookie !== 'object' || !('data' in cookie)) return
        const { __flash__: flashMessages = {}, ...values } = cookie.data
        response.sessionBag = { values, flashMessages }
      })
    })
  }
}
