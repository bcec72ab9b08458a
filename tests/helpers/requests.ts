import type { ApiClient } from '@japa/api-client'
import type { User } from '#modules/accounts/index'

/** A form sent as a signed-in browser sends it: its CSRF token, the account's session, the redirect not followed. */
export function submitForm(client: ApiClient, user: User, path: string, form: Record<string, unknown>) {
  return client.post(path).form(form).withCsrfToken().loginAs(user).redirects(0)
}
