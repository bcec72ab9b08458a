import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import emitter from '@adonisjs/core/services/emitter'
import mail from '@adonisjs/mail/services/main'
import type { Group } from '@japa/runner/core'
import Registration from '#modules/inscriptions/models/registration'
import { todayIso } from '#modules/inscriptions/services/calendar'
import { addDays } from '#core/calendar_day'

export const INSCRIPTION_EVENTS = ['inscription:requested', 'inscription:validated', 'inscription:refused', 'inscription:cancelled', 'inscription:promoted'] as const

/** Each test of the group in a rolled-back transaction, with the mailer and the events (inscriptions' by default) faked. */
export function isolateInscriptionTests(group: Group, events: readonly (typeof INSCRIPTION_EVENTS)[number][] | 'every event' = INSCRIPTION_EVENTS) {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    if (events === 'every event') emitter.fake()
    else emitter.fake([...events])
    mail.fake()
    return () => {
      emitter.restore()
      mail.restore()
    }
  })
}

export function isoInDays(days: number) {
  return addDays(todayIso(), days)
}

export function parisNow() {
  return DateTime.now().setZone('Europe/Paris')
}

/** A page's text without tags, entities decoded, spaces collapsed. */
export function htmlText(html: string) {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
}

export async function pageText(request: PromiseLike<{ text(): string }>) {
  const response = await request
  return htmlText(response.text())
}

export async function statusOf(request: PromiseLike<{ status(): number }>) {
  const response = await request
  return response.status()
}

export async function stateOf(registrationId: number) {
  const registration = await Registration.findOrFail(registrationId)
  return registration.state
}
