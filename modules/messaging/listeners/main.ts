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

const bus = emitter as unknown as Emitter<HeardEvents>

type NoticeEvent = Exclude<
  keyof HeardEvents,
  'dossier:change-requested' | 'planning:booking-reminders' | 'planning:patterns-refused' | 'billing:invoices-issued' | 'billing:debits-rejected'
>

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

// planning:remind's reminders come a batch at a time: written and mailed in bulk
bus.on('planning:booking-reminders', (payload) =>
  safely('planning:booking-reminders', async () => {
    const { reminderText } = await import('#modules/messaging/services/notice_texts')
    const { noticeMany } = await import('#modules/messaging/services/bulk_notices')
    await noticeMany(payload.reminders.map((reminder) => ({ familyId: reminder.familyId, origin: 'planning:booking-reminders', ...reminderText(reminder) })))
  })
)

// An invoice run announces its invoices a batch at a time: their notices are written and mailed in bulk
bus.on('billing:invoices-issued', (payload) =>
  safely('billing:invoices-issued', async () => {
    const { invoiceText } = await import('#modules/messaging/services/notice_texts')
    const { noticeMany } = await import('#modules/messaging/services/bulk_notices')
    await noticeMany(payload.invoices.map((invoice) => ({ familyId: invoice.familyId, origin: 'billing:invoice-issued', ...invoiceText(invoice) })))
  })
)

// A day generation's patterns that could not book some days come a batch at a time: their notices written and mailed in bulk
bus.on('planning:patterns-refused', (payload) =>
  safely('planning:patterns-refused', async () => {
    const { patternRefusedText } = await import('#modules/messaging/services/notice_texts')
    const { noticeMany } = await import('#modules/messaging/services/bulk_notices')
    await noticeMany(payload.reports.map((report) => ({ familyId: report.familyId, origin: 'planning:pattern-refused', ...patternRefusedText(report) })))
  })
)

// A bank return file's rejected debits come together: their notices are written and mailed in bulk
bus.on('billing:debits-rejected', (payload) =>
  safely('billing:debits-rejected', async () => {
    const { debitRejectedText } = await import('#modules/messaging/services/notice_texts')
    const { noticeMany } = await import('#modules/messaging/services/bulk_notices')
    await noticeMany(payload.rejections.map((rejection) => ({ familyId: rejection.familyId, origin: 'billing:debit-rejected', ...debitRejectedText(rejection) })))
  })
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
