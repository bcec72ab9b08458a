import testUtils from '@adonisjs/core/services/test_utils'
import mail from '@adonisjs/mail/services/main'
import type { Group } from '@japa/runner/core'
import communeSettings from '#services/commune_settings'
import { parisDayOf } from '#core/calendar_day'

/** Each test of the group in a rolled-back transaction, the commune named Colomars, the mailer restored after. */
export function isolateMessagingTests(group: Group) {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    communeSettings.invalidate()
    await communeSettings.update({ name: 'Colomars' })
  })
  group.each.teardown(() => mail.restore())
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)])
/** A Windows executable (MZ header), to be renamed .pdf. */
export const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(256, 0)])

export function today() {
  return parisDayOf()
}

interface Answer {
  text(): string
  status: () => number
}

/** The HTML of a page (lint: no member access on an await expression). */
export async function textOf(request: PromiseLike<Answer>): Promise<string> {
  const response = await request
  return response.text()
}

export async function statusOf(request: PromiseLike<Answer>): Promise<number> {
  const response = await request
  return response.status()
}
