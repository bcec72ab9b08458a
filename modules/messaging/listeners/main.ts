/*
 * Imported by the core only when messaging is on. Each event of the other modules becomes a
 * notice in the family's inbox (and a mail when the family wants it). A failure here is logged
 * and never breaks the module that announced the event.
 */
import emitter from '@adonisjs/core/services/emitter'
import logger from '@adonisjs/core/services/logger'
import type { Emitter } from '@adonisjs/core/events'
import type { HeardEvents } from '#modules/messaging/events'
import type { NoticeText } from '#modules/messaging/services/notice_texts'
import type { BulkNotice } from '#modules/messaging/services/bulk_notices'

const bus = emitter as unknown as Emitter<HeardEvents>

type NoticeEvent = Exclude<keyof HeardEvents, 'dossier:change-requested' | BatchEvent>

const NOTICE_EVENTS: NoticeEvent[] = [
  'inscription:requested',
  'inscription:validated',
  'inscription:refused',
  'inscription:cancelled',
  'inscription:promoted',
  'planning:promoted',
  'planning:offer-made',
  'billing:payment-received',
]

async function safely(event: string, work: () => Promise<unknown>) {
  try {
    await work()
  } catch (error) {
    logger.error({ err: error, event }, 'messagerie : avis non créé')
  }
}

for (const event of NOTICE_EVENTS) {
  bus.on(event, (payload: HeardEvents[NoticeEvent]) =>
    safely(event, async () => {
      const { noticeTexts } = await import('#modules/messaging/services/notice_texts')
      const { default: messagingService } = await import('#modules/messaging/services/messaging_service')
      const text = (noticeTexts[event] as (data: HeardEvents[NoticeEvent]) => NoticeText)(payload)
      const mail = !('familyMailed' in payload && payload.familyMailed)
      await messagingService.notice({ familyId: payload.familyId, origin: event, ...text, mail })
    })
  )
}

type BatchEvent = 'planning:booking-reminders' | 'planning:patterns-refused' | 'billing:invoices-issued' | 'billing:debits-rejected'
type NoticeTexts = typeof import('#modules/messaging/services/notice_texts')

/** An event that comes a batch at a time: its notices are written and mailed in bulk (services/bulk_notices.ts). */
function inBulk<E extends BatchEvent>(event: E, noticesOf: (payload: HeardEvents[E], texts: NoticeTexts) => BulkNotice[]) {
  bus.on(event, (payload: HeardEvents[E]) =>
    safely(event, async () => {
      const texts = await import('#modules/messaging/services/notice_texts')
      const { noticeMany } = await import('#modules/messaging/services/bulk_notices')
      await noticeMany(noticesOf(payload, texts))
    })
  )
}

// planning:remind's reminders, a batch at a time
inBulk('planning:booking-reminders', (payload, texts) =>
  payload.reminders.map((reminder) => ({ familyId: reminder.familyId, origin: 'planning:booking-reminders', ...texts.reminderText(reminder) }))
)
// An invoice run's invoices, a batch of families at a time
inBulk('billing:invoices-issued', (payload, texts) =>
  payload.invoices.map((invoice) => ({ familyId: invoice.familyId, origin: 'billing:invoice-issued', ...texts.invoiceText(invoice) }))
)
// A day generation's patterns that could not book some days, a batch of patterns at a time
inBulk('planning:patterns-refused', (payload, texts) =>
  payload.reports.map((report) => ({ familyId: report.familyId, origin: 'planning:pattern-refused', ...texts.patternRefusedText(report) }))
)
// A bank return file's rejected debits, 500 at a time
inBulk('billing:debits-rejected', (payload, texts) =>
  payload.rejections.map((rejection) => ({ familyId: rejection.familyId, origin: 'billing:debit-rejected', ...texts.debitRejectedText(rejection) }))
)

const CHANGE_SUBJECTS: Record<string, string> = {
  child: "Modification de la fiche d'un enfant",
  quotient: 'Modification du quotient familial',
  other: 'Modification du dossier',
}

bus.on('dossier:change-requested', (payload) =>
  safely('dossier:change-requested', async () => {
    const { default: messagingService } = await import('#modules/messaging/services/messaging_service')
    const { familyService } = await import('#modules/dossier/index')
    const { de } = await import('#core/french')
    const child = payload.childId ? await familyService.childOf(payload.familyId, payload.childId) : null
    await messagingService.requestFromFamily({
      familyId: payload.familyId,
      userId: payload.userId ?? null,
      topicName: payload.topic || "Demande de modification d'éléments dans mon dossier",
      subject: child ? `Modification de la fiche ${de(child.firstName)}` : (CHANGE_SUBJECTS[payload.subject] ?? CHANGE_SUBJECTS.other),
      body: payload.message,
      origin: 'dossier:change-requested',
    })
  })
)
