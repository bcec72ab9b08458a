import emitter from '@adonisjs/core/services/emitter'
import router from '@adonisjs/core/services/router'
import type { User } from '#modules/accounts/index'
import type Family from '#modules/dossier/models/family'
import type Child from '#modules/dossier/models/child'
import historyService from '#modules/dossier/services/history_service'
import { de } from '#core/french'

export const CHANGE_REQUEST_TOPIC = "Demande de modification d'éléments dans mon dossier"

/**
 * What the parent may not change alone (a child's identity, the QF) goes to the service as a
 * request: a line of history and an event messaging may turn into a conversation.
 */
export async function requestChange(family: Family, actor: User, data: { subject: 'child' | 'quotient' | 'other'; childId?: number; message: string }, child: Child | null) {
  const about =
    data.subject === 'child' && child ? ` (fiche ${de(child.firstName)})` : data.subject === 'quotient' ? ' (quotient familial)' : ''
  const entry = await historyService.record(family.id, {
    module: 'dossier',
    kind: 'change-requested',
    text: `${CHANGE_REQUEST_TOPIC}${about} : ${data.message}`,
    link: router.makeUrl('dossier.history'),
  })
  await emitter.emit('dossier:change-requested', {
    familyId: family.id,
    userId: actor.id,
    topic: CHANGE_REQUEST_TOPIC,
    message: data.message,
    subject: data.subject,
    childId: child?.id ?? null,
    historyEntryId: entry.id,
  })
  return entry
}
