import { test } from '@japa/runner'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import { MAX_UPLOAD_BYTES } from '#services/upload_service'
import { invoiceText, noticeTexts } from '#modules/messaging/services/notice_texts'
import { historyText } from '#modules/messaging/services/messaging_service'
import { checkAttachments } from '#modules/messaging/services/attachment_intake'
import catalogService from '#modules/messaging/services/catalog_service'
import type Service from '#modules/messaging/models/service'

function file(clientName: string, size: number, errors: { type: string }[] = []) {
  return { clientName, size, errors } as unknown as MultipartFile
}

const services = [
  {
    id: 1,
    name: 'Service Enfance',
    topics: [
      { id: 11, serviceId: 1, name: "Demande de modification d'éléments dans mon dossier" },
      { id: 12, serviceId: 1, name: 'Demande de réservation ou annulation (hors capacité ou hors délai)' },
      { id: 13, serviceId: 1, name: 'Facturation' },
    ],
  },
  { id: 2, name: 'Restauration scolaire', topics: [{ id: 21, serviceId: 2, name: 'Facturation' }] },
] as unknown as Service[]

test.group('Messagerie — règles', () => {
  test('the history line is the guide sentence', ({ assert }) => {
    assert.equal(
      historyText('Service Enfance', 'Remise de justificatif (absence,...)'),
      'Message envoyé au service : Service Enfance, concernant le thème : Remise de justificatif (absence,...)'
    )
    assert.equal(historyText('Service Enfance', null), 'Message envoyé au service : Service Enfance')
  })

  test('five files of 40 MB pass; a sixth, or 40 MB + 1 byte, are refused in French', ({ assert }) => {
    const five = Array.from({ length: 5 }, (_, index) => file(`f${index}.pdf`, MAX_UPLOAD_BYTES))
    assert.deepEqual(checkAttachments(five), [])
    assert.deepEqual(checkAttachments([...five, file('f6.pdf', 10)]), ['Vous pouvez joindre 5 fichiers au plus (vous en avez choisi 6).'])
    assert.deepEqual(checkAttachments([file('scan.pdf', MAX_UPLOAD_BYTES + 1)]), ['Le fichier « scan.pdf » dépasse 40 Mo.'])
    assert.deepEqual(checkAttachments([file('scan.pdf', 10, [{ type: 'size' }])]), ['Le fichier « scan.pdf » dépasse 40 Mo.'])
  })

  test('?service=&theme= accept ids, names, or a part of the topic name; the service follows the topic', async ({ assert }) => {
    assert.deepEqual(await catalogService.preselection(services, 'Service Enfance', 'hors délai'), { serviceId: 1, topicId: 12 })
    assert.deepEqual(await catalogService.preselection(services, '1', '13'), { serviceId: 1, topicId: 13 })
    assert.deepEqual(await catalogService.preselection(services, 'restauration scolaire', 'facturation'), { serviceId: 2, topicId: 21 })
    assert.deepEqual(await catalogService.preselection(services, null, 'HORS DELAI'), { serviceId: 1, topicId: 12 })
    assert.deepEqual(await catalogService.preselection(services, '2', '12'), { serviceId: 2, topicId: null }, "a topic of another service is not preselected")
    assert.deepEqual(await catalogService.preselection(services, null, null), { serviceId: null, topicId: null })
  })

  test('notice texts: reasons, money and dates in French', ({ assert }) => {
    const refused = noticeTexts['inscription:refused']!({
      registrationId: 1, familyId: 1, childId: 1, activityId: 1, childFirstName: 'Mael', activityName: 'Accueil du matin', reason: 'Dossier incomplet',
    })
    assert.equal(refused.subject, 'Inscription refusée (Mael)')
    assert.include(refused.body, "L'inscription de Mael à l'activité « Accueil du matin » n'a pas pu être acceptée.")
    assert.include(refused.body, 'Motif : Dossier incomplet')
    const cancelled = noticeTexts['inscription:cancelled']!({ registrationId: 1, familyId: 1, childId: 1, activityId: 1, childFirstName: 'Mael', activityName: 'Vacances' })
    assert.notInclude(cancelled.body, 'Motif')
    const invoice = invoiceText({ familyId: 1, invoiceNumber: 'F-1', totalCents: 800, dueDate: '2023-05-31' })
    assert.equal(invoice.topicName, 'Facturation')
    assert.include(invoice.body, "d'un montant de 8,00\u00a0€")
    assert.include(invoice.body, 'avant le 31 mai 2023')
  })
})
