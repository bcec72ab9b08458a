import type { HttpContext } from '@adonisjs/core/http'
import { defineModule } from '#core/module_manifest'
import { lazyImport } from '#core/lazy_import'

const dossierModule = lazyImport(() => import('#modules/dossier/index'))
const familyMailboxModule = lazyImport(() => import('#modules/messaging/services/family_mailbox'))
const writeToServiceCards = lazyImport(() => import('#modules/messaging/services/write_to_service_cards'))
const staffMailboxModule = lazyImport(() => import('#modules/messaging/services/staff_mailbox'))

/** "2 messages non lus" for the home tile of a family; nothing for an account without a family. */
async function unreadSummary(ctx: HttpContext): Promise<string | null> {
  const { familyService } = await dossierModule()
  const { default: familyMailbox } = await familyMailboxModule()
  const family = await familyService.familyForUser(ctx.auth.user)
  if (!family) return null
  const unread = await familyMailbox.unreadForFamily(family.id)
  if (unread === 0) return 'Aucun nouveau message'
  return unread === 1 ? '1 message non lu' : `${unread} messages non lus`
}

export default defineModule({
  name: 'messaging',
  label: 'Messagerie',
  description:
    'Messagerie sécurisée entre les familles et les services : messages par service et thème, pièces jointes, avis automatiques (inscriptions, planning, factures), boîte partagée des agents.',
  dependsOn: ['accounts', 'dossier'],
  parentNav: [{ label: 'MESSAGERIE', route: 'messaging.inbox', order: 60, activePrefix: '/messagerie' }],
  staffNav: [{ label: 'MESSAGERIE', route: 'messaging.staff.index', order: 55, activePrefix: '/gestion/messagerie' }],
  staffCounts: [
    {
      order: 55,
      label: (count) => (count > 1 ? 'conversations avec des messages non lus' : 'conversation avec des messages non lus'),
      route: 'messaging.staff.index',
      query: { non_lus: '1' },
      // Only the services this agent sees (an administrator: all).
      count: async (ctx) => (await staffMailboxModule()).default.unreadConversations(ctx.auth.user!),
    },
  ],
  tiles: [
    {
      title: 'Messagerie / Nous contacter',
      icon: 'mail',
      order: 60,
      links: [
        { label: 'Consulter mes messages', route: 'messaging.inbox' },
        { label: 'Communiquer avec le service enfance', route: 'messaging.create' },
      ],
      summary: unreadSummary,
    },
  ],
  // Where the other modules' pages send a parent who has to write to the service.
  slots: {
    'dossier.request.sent': async () => (await writeToServiceCards()).afterChangeRequest(),
    'inscriptions.cancel.too-late': async () => (await writeToServiceCards()).cancellationTooLate(),
    'planning.basket.refused': async () => (await writeToServiceCards()).bookingRefused(),
    'planning.absence.too-late': async () => (await writeToServiceCards()).absenceTooLate(),
  },
})
