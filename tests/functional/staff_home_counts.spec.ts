import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import moduleRegistry from '#core/module_registry'
import Service from '#modules/messaging/models/service'
import ServiceTopic from '#modules/messaging/models/service_topic'
import messagingService from '#modules/messaging/services/messaging_service'
import FamilyDocument from '#modules/dossier/models/family_document'
import { createAgent, createFamily, seedCatalog } from '#modules/messaging/tests/factories'
import { createActivity, familyRequesting } from '#modules/inscriptions/tests/factories'
import { createUser } from '#tests/helpers/users'

/** The counts of the staff home, as "number label → link". */
function countsOf(html: string) {
  return [...html.matchAll(/<li><a href="([^"]+)"><strong class="staff-counts__number">([^<]+)<\/strong> ([^<]+)<\/a><\/li>/g)].map((match) => `${match[2]} ${match[3]} → ${match[1]}`.replaceAll('&#x27;', "'").replaceAll('&amp;', '&'))
}

test.group('Staff home: what waits for the agent', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('requests to validate, unread conversations of the agent’s services, documents to check — each linked', async ({ client, assert }) => {
    const { enfance, canteen } = await seedCatalog()
    const agent = await createAgent(enfance.id)
    const activity = await createActivity()
    await familyRequesting(activity, { firstName: 'Lya', birthDate: '2018-05-10', classLevel: 'CP' })
    await familyRequesting(activity, { firstName: 'Noé', birthDate: '2017-02-01', classLevel: 'CE1' })
    const { family, parent } = await createFamily()
    const write = async (serviceId: number) => {
      const service = await Service.findOrFail(serviceId)
      const topic = await ServiceTopic.query().where('service_id', serviceId).firstOrFail()
      await messagingService.startConversation({ familyId: family.id, user: parent!, service, topic, subject: 'Question', body: 'Bonjour.', files: [], acknowledgement: false })
    }
    await write(enfance.id)
    await write(canteen.id)
    await FamilyDocument.create({ familyId: family.id, childId: null, category: 'other', name: 'attestation.pdf', storageKey: 'x/attestation.pdf', mime: 'application/pdf', size: 10, origin: 'family', state: 'pending' } as any)

    const counts = countsOf((await client.get('/gestion').loginAs(agent)).text())
    assert.includeMembers(counts, [
      "2 demandes d'inscription à valider → /gestion/inscriptions",
      // only the conversation of the agent's own service
      '1 conversation avec des messages non lus → /gestion/messagerie?non_lus=1',
      '1 document transmis par une famille à vérifier → /gestion/familles',
    ])
    assert.lengthOf(counts, moduleRegistry.staffCounts.length)

    const admin = await createUser('admin')
    assert.include(countsOf((await client.get('/gestion').loginAs(admin)).text()), '2 conversations avec des messages non lus → /gestion/messagerie?non_lus=1')
  })
})
