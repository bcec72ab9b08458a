import { DateTime } from 'luxon'
import { formatDateLong, formatMoney, ZONE } from '#core/format'
import type { DebitRejected, HeardEvents, InvoiceIssued, PlanningBookingReminders, PlanningPatternRefused, RegistrationEvent } from '#modules/messaging/events'
import { de, plural } from '#core/french'

export interface NoticeText {
  subject: string
  body: string
  /** A topic of the service to file it under, when the commune has it. */
  topicName?: string
  /** A link of the portal to act on the notice (« Réserver cette place »). */
  action?: { label: string; url: string }
}

/** "14 septembre 2026 à 18:00 (heure de Paris)" */
function instant(iso: string) {
  const time = DateTime.fromISO(iso, { zone: 'utc' }).setZone(ZONE)
  return `${formatDateLong(time)} à ${time.toFormat('HH:mm')} (heure de Paris)`
}

function names(list: string[]) {
  return list.length > 1 ? `${list.slice(0, -1).join(', ')} et ${list[list.length - 1]}` : (list[0] ?? '')
}

/** A new invoice (billing:invoices-issued, one notice per invoice of the batch), filed under « Facturation ». */
export function invoiceText(invoice: InvoiceIssued): NoticeText {
  return {
    subject: `Nouvelle facture n° ${invoice.invoiceNumber}`,
    body: invoice.directDebitOn
      ? `La facture n° ${invoice.invoiceNumber} d'un montant de ${formatMoney(invoice.totalCents)} est disponible. Elle sera prélevée le ${formatDateLong(invoice.directDebitOn)} : ${formatMoney(invoice.totalCents)} sur le compte de votre mandat de prélèvement SEPA. Vous n'avez rien à faire.`
      : `La facture n° ${invoice.invoiceNumber} d'un montant de ${formatMoney(invoice.totalCents)} est disponible. Elle est à régler avant le ${formatDateLong(invoice.dueDate)}.`,
    topicName: 'Facturation',
  }
}

/** A debit the bank rejected (billing:debits-rejected, one notice per rejection), filed under « Facturation ». */
export function debitRejectedText(payload: DebitRejected): NoticeText {
  return {
    subject: `Prélèvement rejeté : facture n° ${payload.invoiceNumber}`,
    body:
      `Le prélèvement du ${formatDateLong(payload.debitedOn)} (${formatMoney(payload.amountCents)}) pour la facture n° ${payload.invoiceNumber} a été rejeté par votre banque : ${payload.reason}.\n\n` +
      (payload.leftToPayCents > 0
        ? `La facture reste à régler (${formatMoney(payload.leftToPayCents)}) avant le ${formatDateLong(payload.dueDate)} : vous pouvez la payer en ligne sur ${payload.payUrl} ou au guichet. Les prochaines factures restent prélevées sur ce compte : s'il a changé, signez un nouveau mandat (Facturation, « Prélèvement automatique »).`
        : `La facture est déjà réglée : vous n'avez rien à faire.`),
    topicName: 'Facturation',
  }
}

/** Days a weekly pattern could not book (planning:patterns-refused, one notice per pattern). */
export function patternRefusedText(payload: PlanningPatternRefused): NoticeText {
  return {
    subject: `Réservation régulière : ${plural(payload.refused.length, 'jour non réservé', 'jours non réservés')} (${payload.childFirstName})`,
    body:
      `Le service a ouvert de nouveaux jours à l'activité « ${payload.activityName} ». La réservation régulière ${de(payload.childFirstName)} (${payload.weekdaysText}) ` +
      `en a réservé ${plural(payload.bookedCount, 'jour')} ; ${payload.refused.length > 1 ? 'ces jours n\'ont' : 'ce jour n\'a'} pas pu l'être :\n` +
      payload.refused.map((day) => `- ${formatDateLong(day.date)} : ${day.reason}`).join('\n') +
      `\n\nVous pouvez les voir sur le planning, ou répondre à ce message.`,
  }
}

/** A reminder that nothing is booked yet for a coming week (planning:remind). */
export function reminderText(reminder: PlanningBookingReminders['reminders'][number]): NoticeText {
  return {
    subject: `Réservations de la semaine du ${formatDateLong(reminder.periodStart)} : ${reminder.activityName}`,
    body: `Aucun jour n'est encore réservé pour ${names(reminder.childFirstNames)} à l'activité « ${reminder.activityName} » la semaine du ${formatDateLong(reminder.periodStart)} au ${formatDateLong(reminder.periodEnd)}.\n\nPensez à réserver avant le ${instant(reminder.deadline)} : passé ce délai, les jours ne peuvent plus être réservés en ligne. Si vous n'avez besoin d'aucun jour cette semaine, vous n'avez rien à faire.`,
    action: { label: 'Réserver sur le planning', url: reminder.url },
  }
}

function registration(payload: RegistrationEvent) {
  return `${de(payload.childFirstName)} à l'activité « ${payload.activityName} »`
}

function reason(payload: RegistrationEvent) {
  return payload.reason ? `\n\nMotif : ${payload.reason}` : ''
}

/** The words of each notice, as the service would write them. */
export const noticeTexts: { [Name in keyof HeardEvents]?: (payload: HeardEvents[Name]) => NoticeText } = {
  'inscription:requested': (payload) => ({
    subject: `Demande d'inscription reçue (${payload.childFirstName})`,
    body: `Nous avons bien reçu votre demande d'inscription ${registration(payload)}. Le service l'étudie et vous informera de sa décision par un message.`,
  }),
  'inscription:validated': (payload) => ({
    subject: `Inscription validée (${payload.childFirstName})`,
    body: `L'inscription ${registration(payload)} est validée. Selon l'activité, vous pouvez maintenant réserver les jours sur le planning.`,
  }),
  'inscription:refused': (payload) => ({
    subject: `Inscription refusée (${payload.childFirstName})`,
    body: `L'inscription ${registration(payload)} n'a pas pu être acceptée.${reason(payload)}\n\nPour toute question, répondez à ce message.`,
  }),
  'inscription:cancelled': (payload) => ({
    subject: `Inscription annulée (${payload.childFirstName})`,
    body: `L'inscription ${registration(payload)} est annulée.${reason(payload)}`,
  }),
  'inscription:promoted': (payload) => ({
    subject: `Place disponible : inscription validée (${payload.childFirstName})`,
    body: `Une place s'est libérée : l'inscription ${registration(payload)} quitte la liste d'attente et est validée.`,
  }),
  'planning:promoted': (payload) => ({
    subject: `Réservation confirmée le ${formatDateLong(payload.date)} (${payload.childFirstName})`,
    body: `Vous avez pris la place proposée sur la liste d'attente : la réservation ${de(payload.childFirstName)} à l'activité « ${payload.activityName} » le ${formatDateLong(payload.date)} est confirmée.`,
  }),
  'planning:offer-made': (payload) => ({
    subject: `Une place s'est libérée le ${formatDateLong(payload.date)} (${payload.childFirstName})`,
    body: `Une place s'est libérée à l'activité « ${payload.activityName} » le ${formatDateLong(payload.date)} : ${payload.childFirstName}, en liste d'attente ce jour-là, peut la prendre.\n\nElle vous est réservée jusqu'au ${instant(payload.expiresAt)}. Passé ce délai, elle sera proposée à l'enfant suivant de la liste d'attente. Si vous n'en avez plus besoin, vous pouvez la refuser depuis le même lien.`,
    action: { label: 'Réserver cette place', url: payload.url },
  }),
  'billing:payment-received': (payload) => ({
    subject: `Paiement reçu pour la facture n° ${payload.invoiceNumber}`,
    body: `Nous avons bien reçu votre paiement de ${formatMoney(payload.amountCents)} pour la facture n° ${payload.invoiceNumber}. Merci.`,
    topicName: 'Facturation',
  }),
}
