import type { ApiClient } from '@japa/api-client'
import type { User } from '#modules/accounts/index'

/** The month's basket sent without JavaScript: the child-day pairs shown and those ticked, previewed or applied. */
export function sendBasket(client: ApiClient, user: User, basket: { date: string; action: 'preview' | 'apply'; shown: string[]; selected: string[] }) {
  return client.post('/planning').form({ vue: 'mois', ...basket }).loginAs(user).withCsrfToken()
}
