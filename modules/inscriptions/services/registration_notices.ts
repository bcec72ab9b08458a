import emitter from '@adonisjs/core/services/emitter'
import logger from '@adonisjs/core/services/logger'
import type { EventsList } from '@adonisjs/core/types'
import Registration from '#modules/inscriptions/models/registration'
import { familyService } from '#modules/dossier/index'
import mailQueue from '#services/mail_queue'
import moduleRegistry from '#core/module_registry'

type MailKind = 'validated' | 'waiting' | 'refused' | 'promoted' | 'cancelled'
type EventName = 'inscription:requested' | 'inscription:validated' | 'inscription:refused' | 'inscription:cancelled' | 'inscription:promoted'

/** What to tell the family once the transaction is committed. */
export interface Notice {
  registrationId: number
  event?: EventName
  mail?: MailKind
  reason?: string
}

/** After commit: the events (messaging, planning) and the mails to the family. */
export async function dispatchNotices(notices: Notice[]) {
  for (const notice of notices) {
    const registration = await Registration.query().where('id', notice.registrationId).preload('activity').preload('child').first()
    if (!registration) continue
    const payload: EventsList['inscription:requested'] = {
      registrationId: registration.id,
      familyId: registration.familyId,
      childId: registration.childId,
      activityId: registration.activityId,
      childFirstName: registration.child.firstName,
      activityName: registration.activity.name,
      ...(notice.reason ? { reason: notice.reason } : {}),
    }
    // The owner of the decision mails each guardian (messaging on or off); the event then says so.
    const mailed = notice.mail ? await mailFamily(notice.mail, registration, notice.reason) : false
    if (notice.event) await emitter.emit(notice.event, mailed ? { ...payload, familyMailed: true } : payload)
  }
}

/** True when a mail to at least one guardian was queued. */
async function mailFamily(kind: MailKind, registration: Registration, reason?: string): Promise<boolean> {
  let sent = 0
  try {
    const guardians = await familyService.guardiansOf(registration.familyId)
    const family = await registration.related('family').query().first()
    const addresses = new Set<string>()
    for (const guardian of guardians) {
      const address = guardian.user?.email ?? guardian.email
      if (address) addresses.add(address.toLowerCase())
    }
    if (!addresses.size && family?.email) addresses.add(family.email.toLowerCase())
    const subjects: Record<MailKind, string> = {
      validated: 'Inscription validée',
      promoted: "Une place s'est libérée : inscription validée",
      waiting: "Demande d'inscription en liste d'attente",
      refused: "Demande d'inscription refusée",
      cancelled: 'Inscription annulée par le service',
    }
    const data = {
      kind,
      childFirstName: registration.child.firstName,
      activityName: registration.activity.name,
      startDate: registration.startDate,
      endDate: registration.endDate,
      rank: registration.waitingRank,
      reason: reason ?? registration.refusalReason,
      planningEnabled: moduleRegistry.isEnabled('planning'),
    }
    // Queued (#services/mail_queue): a bulk decision on 500 requests no longer waits for 1,000 mails.
    await mailQueue.enqueue(
      [...addresses].map((to) => ({
        to,
        subject: `${subjects[kind]} : ${registration.activity.name} (${registration.child.firstName})`,
        html: 'inscriptions::emails/decision',
        text: 'inscriptions::emails/decision_text',
        data,
      }))
    )
    sent = addresses.size
  } catch (error) {
    logger.error({ err: error, registrationId: registration.id }, 'inscriptions: courriel de décision non envoyé')
  }
  return sent > 0
}
