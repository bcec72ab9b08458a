import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { familyService, requireFamily } from '#modules/dossier/index'
import catalogService from '#modules/messaging/services/catalog_service'
import messagingService, { MAX_ATTACHMENTS } from '#modules/messaging/services/messaging_service'
import Service from '#modules/messaging/models/service'
import { attachedFiles, checkAttachments, storeAttachments, ATTACHMENT_ACCEPT, ATTACHMENT_TYPES } from '#modules/messaging/services/attachment_intake'
import { newMessageValidator } from '#modules/messaging/validators/messaging'
import { sendBack, validateInto, type FieldMessage } from '#modules/messaging/controllers/form_errors'

/** "NOUS ENVOYER UN MESSAGE": a family writes to one of the commune's services. */
export default class ComposeController {
  async create({ auth, request, response, view }: HttpContext) {
    const user = auth.getUserOrFail()
    if (user.isStaff) return response.redirect().toRoute('messaging.staff.index')
    const family = await familyService.familyForUser(user)
    const services = await catalogService.servicesWithTopics()
    const preselected = await catalogService.preselection(services, request.input('service'), request.input('theme'))
    return view.render('messaging::pages/compose', {
      family,
      services,
      preselected,
      subject: typeof request.input('objet') === 'string' ? request.input('objet').slice(0, 200) : '',
      maxAttachments: MAX_ATTACHMENTS,
      attachmentTypes: ATTACHMENT_TYPES,
      attachmentAccept: ATTACHMENT_ACCEPT,
    })
  }

  async store(ctx: HttpContext) {
    const { auth, request, response, session } = ctx
    const user = auth.getUserOrFail()
    const family = await requireFamily(ctx)
    const back = router.makeUrl('messaging.create')

    const problems: FieldMessage[] = []
    const data = await validateInto(newMessageValidator, request.all(), problems)
    const serviceId = Number(request.input('service_id'))
    const topicId = Number(request.input('topic_id'))
    const service = Number.isInteger(serviceId) && serviceId > 0 ? await Service.find(serviceId) : null
    if (data && !service) problems.push({ field: 'service_id', message: 'Choisissez un service de la liste.', rule: 'exists' })
    const topic = service && Number.isInteger(topicId) && topicId > 0 ? await catalogService.topicOf(service.id, topicId) : null
    if (service && Number.isInteger(topicId) && topicId > 0 && !topic) {
      problems.push({ field: 'topic_id', message: `Ce thème n'appartient pas au ${service.name} : choisissez un thème de ce service.`, rule: 'exists' })
    }
    const files = attachedFiles(request)
    for (const message of checkAttachments(files)) problems.push({ field: 'attachments', message, rule: 'file' })
    if (!data || !service || !topic || problems.length) return sendBack(ctx, problems, back)

    const { stored, error } = await storeAttachments(files, `messaging/${family.id}`)
    if (error) return sendBack(ctx, [{ field: 'attachments', message: error, rule: 'file' }], back)

    const conversation = await messagingService.startConversation({
      familyId: family.id,
      user,
      service,
      topic,
      subject: data.subject,
      body: data.body,
      files: stored,
      acknowledgement: Boolean(data.acknowledgement),
    })
    session.flash(
      'alert.success',
      data.acknowledgement && user.email
        ? `Votre message est envoyé au ${service.name}. Un accusé de réception vous est adressé par email.`
        : `Votre message est envoyé au ${service.name}.`
    )
    return response.redirect(router.makeUrl('messaging.show', { id: conversation.id }))
  }
}
