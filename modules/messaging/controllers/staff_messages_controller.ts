import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import audit from '#services/audit_service'
import messagingService, { MAX_ATTACHMENTS, type StaffFilters } from '#modules/messaging/services/messaging_service'
import staffMailbox from '#modules/messaging/services/staff_mailbox'
import { attachedFiles, checkAttachments, storeAttachments, ATTACHMENT_ACCEPT, ATTACHMENT_TYPES } from '#modules/messaging/services/attachment_intake'
import { assignValidator, replyValidator } from '#modules/messaging/validators/messaging'
import { sendBack, validateInto, type FieldMessage } from '#modules/messaging/controllers/form_errors'
import { sendAttachment } from '#modules/messaging/controllers/download'
import { pageNumber } from '#core/pagination'

function positiveInt(value: unknown) {
  const number = Number(value)
  return Number.isInteger(number) && number > 0 ? number : null
}

function isoDay(value: unknown) {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null
}

/** The shared inbox of the services: filter, read, assign, answer, mark done. */
export default class StaffMessagesController {
  async index({ auth, request, view }: HttpContext) {
    const user = auth.getUserOrFail()
    const status = ['open', 'done', 'all'].includes(request.input('statut')) ? request.input('statut') : 'open'
    const filters: StaffFilters = {
      status,
      unread: Boolean(request.input('non_lus')),
      serviceId: positiveInt(request.input('service')),
      topicId: positiveInt(request.input('theme')),
      family: typeof request.input('famille') === 'string' ? request.input('famille').slice(0, 80) : null,
      from: isoDay(request.input('du')),
      to: isoDay(request.input('au')),
      assignedToMe: Boolean(request.input('moi')),
    }
    const services = await staffMailbox.visibleServices(user)
    const page = await staffMailbox.staffInbox(user, filters, pageNumber(request.input('page')))
    const query = new URLSearchParams()
    const raw = { statut: status, non_lus: filters.unread ? '1' : '', service: filters.serviceId ?? '', theme: filters.topicId ?? '', famille: filters.family ?? '', du: filters.from ?? '', au: filters.to ?? '', moi: filters.assignedToMe ? '1' : '' }
    for (const [key, value] of Object.entries(raw)) if (value !== '') query.set(key, String(value))
    return view.render('messaging::pages/staff/index', {
      conversations: page.all(),
      meta: page.getMeta(),
      baseUrl: router.makeUrl('messaging.staff.index') + (query.size ? `?${query}` : ''),
      filters,
      services,
    })
  }

  async show({ auth, params, view }: HttpContext) {
    const user = auth.getUserOrFail()
    const conversation = await staffMailbox.conversationForStaff(user, params.id)
    const messages = await messagingService.thread(conversation)
    await staffMailbox.markReadByStaff(conversation)
    return view.render('messaging::pages/staff/show', {
      conversation,
      messages,
      agents: await staffMailbox.agentsOf(conversation.serviceId),
      familyUrl: router.makeUrl('staff.families.show', { id: conversation.familyId }),
      maxAttachments: MAX_ATTACHMENTS,
      attachmentTypes: ATTACHMENT_TYPES,
      attachmentAccept: ATTACHMENT_ACCEPT,
    })
  }

  async reply(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const conversation = await staffMailbox.conversationForStaff(user, ctx.params.id)
    const back = router.makeUrl('messaging.staff.show', { id: conversation.id }) + '#repondre'
    const problems: FieldMessage[] = []
    const data = await validateInto(replyValidator, ctx.request.all(), problems)
    const files = attachedFiles(ctx.request)
    for (const message of checkAttachments(files)) problems.push({ field: 'attachments', message, rule: 'file' })
    if (!data || problems.length) return sendBack(ctx, problems, back)

    const { stored, error } = await storeAttachments(files, `messaging/${conversation.familyId}`)
    if (error) return sendBack(ctx, [{ field: 'attachments', message: error, rule: 'file' }], back)
    const message = await messagingService.staffReply(conversation, user, data.body, stored, Boolean(data.mark_done))
    await audit.record({
      actor: { id: user.id, fullName: user.fullName },
      action: 'messaging.answered',
      subjectType: 'messaging_conversation',
      subjectId: conversation.id,
      details: { messageId: message.id, attachments: stored.length, done: Boolean(data.mark_done) },
    })
    ctx.session.flash('alert.success', 'Votre réponse est envoyée à la famille.')
    return ctx.response.redirect(router.makeUrl('messaging.staff.show', { id: conversation.id }))
  }

  async assign(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const conversation = await staffMailbox.conversationForStaff(user, ctx.params.id)
    const back = router.makeUrl('messaging.staff.show', { id: conversation.id })
    const problems: FieldMessage[] = []
    const data = await validateInto(assignValidator, ctx.request.all(), problems)
    if (!data) return sendBack(ctx, problems, back)
    const agents = await staffMailbox.agentsOf(conversation.serviceId)
    const agent = data.assigned_to ? agents.find((candidate) => candidate.id === data.assigned_to) : null
    if (data.assigned_to && !agent) {
      return sendBack(ctx, [{ field: 'assigned_to', message: "Cet agent ne fait pas partie du service.", rule: 'exists' }], back)
    }
    conversation.assignedTo = agent?.id ?? null
    await conversation.save()
    await audit.record({
      actor: { id: user.id, fullName: user.fullName },
      action: 'messaging.assigned',
      subjectType: 'messaging_conversation',
      subjectId: conversation.id,
      details: { assignedTo: agent?.id ?? null, name: agent?.fullName ?? null },
    })
    ctx.session.flash('alert.success', agent ? `La demande est attribuée à ${agent.fullName}.` : "La demande n'est plus attribuée.")
    return ctx.response.redirect(back)
  }

  async done(ctx: HttpContext) {
    return this.setStatus(ctx, 'done')
  }

  async reopen(ctx: HttpContext) {
    return this.setStatus(ctx, 'open')
  }

  private async setStatus(ctx: HttpContext, status: 'open' | 'done') {
    const user = ctx.auth.getUserOrFail()
    const conversation = await staffMailbox.conversationForStaff(user, ctx.params.id)
    conversation.status = status
    await conversation.save()
    await audit.record({
      actor: { id: user.id, fullName: user.fullName },
      action: status === 'done' ? 'messaging.done' : 'messaging.reopened',
      subjectType: 'messaging_conversation',
      subjectId: conversation.id,
    })
    ctx.session.flash('alert.success', status === 'done' ? 'La demande est marquée comme traitée.' : 'La demande est de nouveau à traiter.')
    return ctx.response.redirect(router.makeUrl('messaging.staff.show', { id: conversation.id }))
  }

  async download(ctx: HttpContext) {
    const attachment = await staffMailbox.attachmentForStaff(ctx.auth.getUserOrFail(), ctx.params.id)
    return sendAttachment(ctx, attachment)
  }
}
