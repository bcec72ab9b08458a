import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { dbTimeOf } from '#core/db_time'
import { insertMany } from '#core/bulk_insert'
import { groupBy } from '#core/chunks'
import { Guardian } from '#modules/dossier/index'
import Service from '#modules/messaging/models/service'
import notificationService from '#modules/messaging/services/notification_service'
import { withAction, type NoticeAction } from '#modules/messaging/services/notice_action'

export interface BulkNotice {
  familyId: number
  origin: string
  subject: string
  body: string
  action?: NoticeAction
  /** A topic of the service to file it under, when the commune has it (as `notice`). */
  topicName?: string
}

const CHUNK = 200

/**
 * The same kind of notice to many families at once (planning's reminders, an invoice run's invoices): the conversations
 * and messages are written 200 at a time in a few statements, the accounts and their mail
 * preferences read once per 200 families, and the mails of the accounts that want them queued
 * (#services/mail_queue: sent after the answer, tried again when the mail server fails).
 * Returns the number of notices written.
 */
export async function noticeMany(notices: BulkNotice[]): Promise<number> {
  const service = await Service.query().orderBy('position').orderBy('id').first()
  if (!service || !notices.length) return 0
  // The topics named by the notices, found once (case aside, as `notice` does).
  const topics = notices.some((notice) => notice.topicName) ? await service.related('topics').query().orderBy('position') : []
  const topicOf = (name?: string) => (name ? topics.find((topic) => topic.name.toLocaleLowerCase('fr-FR') === name.toLocaleLowerCase('fr-FR')) : undefined)
  const now = DateTime.utc()
  let written = 0
  for (let at = 0; at < notices.length; at += CHUNK) {
    const chunk = notices.slice(at, at + CHUNK)
    const conversationIds = await db.transaction(async (trx) => {
      const stamp = dbTimeOf(trx, now)
      const rows = await insertMany(
        trx,
        'messaging_conversations',
        chunk.map((notice) => ({
          family_id: notice.familyId,
          service_id: service.id,
          topic_id: topicOf(notice.topicName)?.id ?? null,
          topic_name: topicOf(notice.topicName)?.name ?? null,
          subject: notice.subject.slice(0, 200),
          kind: 'notice',
          origin: notice.origin,
          status: 'done',
          last_message_at: stamp,
          created_at: stamp,
          updated_at: stamp,
        })),
        ['id']
      )
      const ids = rows.map((row) => Number(row.id))
      await insertMany(
        trx,
        'messaging_messages',
        chunk.map((notice, index) => ({
          conversation_id: ids[index],
          author_side: 'system',
          author_name: service.name,
          body: withAction(notice.body, notice.action),
          acknowledgement_requested: false,
          created_at: stamp,
        }))
      )
      return ids
    })
    written += chunk.length

    const guardians = await Guardian.query().whereIn('family_id', [...new Set(chunk.map((notice) => notice.familyId))]).whereNotNull('user_id')
    const users = new Map((await notificationService.wantingNotices(guardians.map((guardian) => guardian.userId!))).map((user) => [user.id, user]))
    const guardiansOf = groupBy(guardians, (guardian) => guardian.familyId)
    // Queued with the notices' chunk: the mail queue (#services/mail_queue) sends them after the answer.
    const mails = chunk.flatMap((notice, index) =>
      (guardiansOf.get(notice.familyId) ?? []).flatMap((guardian) => {
        const user = users.get(guardian.userId!)
        return user ? [notificationService.noticeMail(user, { ...notice, conversationId: conversationIds[index] }, service.name)] : []
      })
    )
    await notificationService.queue(mails)
  }
  return written
}
