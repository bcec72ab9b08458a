import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import ForbiddenException from '#exceptions/forbidden_exception'
import { familyOf } from '#modules/dossier/index'
import messagingService, { MAX_ATTACHMENTS } from '#modules/messaging/services/messaging_service'
import familyMailbox from '#modules/messaging/services/family_mailbox'
import { attachedFiles, checkAttachments, storeAttachments, ATTACHMENT_ACCEPT, ATTACHMENT_TYPES } from '#modules/messaging/services/attachment_intake'
import { replyValidator } from '#modules/messaging/validators/messaging'
import { sendBack, validateInto, type FieldMessage } from '#modules/messaging/controllers/form_errors'
import { sendAttachment } from '#modules/messaging/controllers/download'
import { pageNumber } from '#core/pagination'

/** MESSAGERIE of a family: received, sent, a conversation, answering, downloading. */
export default class FamilyMessagesController {
  private async family(ctx: HttpContext) {
    return familyOf(ctx)
  }

  async received(ctx: HttpContext) {
    return this.box(ctx, 'received')
  }

  async sent(ctx: HttpContext) {
    return this.box(ctx, 'sent')
  }

  private async box(ctx: HttpContext, box: 'received' | 'sent') {
    const user = ctx.auth.getUserOrFail()
    if (user.isStaff) return ctx.response.redirect().toRoute('messaging.staff.index')
    const family = await this.family(ctx)
    const page = family ? await familyMailbox.familyMessages(family.id, box, pageNumber(ctx.request.input('page'))) : null
    const unread = family ? await familyMailbox.unreadForFamily(family.id) : 0
    return ctx.view.render('messaging::pages/inbox', {
      box,
      family,
      unread,
      messages: page?.all() ?? [],
      meta: page?.getMeta() ?? null,
      baseUrl: router.makeUrl(box === 'received' ? 'messaging.inbox' : 'messaging.sent'),
    })
  }

  async show(ctx: HttpContext) {
    const family = await this.family(ctx)
    if (!family) throw new ForbiddenException()
    const conversation = await familyMailbox.conversationOfFamily(family.id, ctx.params.id)
    const messages = await messagingService.thread(conversation)
    await familyMailbox.markReadByFamily(conversation)
    return ctx.view.render('messaging::pages/conversation', {
      conversation,
      messages,
      maxAttachments: MAX_ATTACHMENTS,
      attachmentTypes: ATTACHMENT_TYPES,
      attachmentAccept: ATTACHMENT_ACCEPT,
    })
  }

  async reply(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const family = await this.family(ctx)
    if (!family) throw new ForbiddenException()
    const conversation = await familyMailbox.conversationOfFamily(family.id, ctx.params.id)
    const back = router.makeUrl('messaging.show', { id: conversation.id }) + '#repondre'
    const problems: FieldMessage[] = []
    const data = await validateInto(replyValidator, ctx.request.all(), problems)
    const files = attachedFiles(ctx.request)
    for (const message of checkAttachments(files)) problems.push({ field: 'attachments', message, rule: 'file' })
    if (!data || problems.length) return sendBack(ctx, problems, back)

    const { stored, error } = await storeAttachments(files, `messaging/${family.id}`)
    if (error) return sendBack(ctx, [{ field: 'attachments', message: error, rule: 'file' }], back)
    await messagingService.familyReply(conversation, user, data.body, stored, Boolean(data.acknowledgement))
    ctx.session.flash('alert.success', `Votre message est envoyé au ${conversation.service.name}.`)
    return ctx.response.redirect(router.makeUrl('messaging.show', { id: conversation.id }))
  }

  async download(ctx: HttpContext) {
    const family = await this.family(ctx)
    if (!family) throw new ForbiddenException()
    const attachment = await familyMailbox.attachmentOfFamily(family.id, ctx.params.id)
    return sendAttachment(ctx, attachment)
  }
}
