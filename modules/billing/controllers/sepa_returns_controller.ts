import { readFile } from 'node:fs/promises'
import type { HttpContext } from '@adonisjs/core/http'
import debitReturnService from '#modules/billing/services/sepa/debit_return_service'
import { BillingError } from '#modules/billing/services/billing_error'
import { fieldError } from '#modules/billing/validators/billing'
import { plural } from '#core/french'

/**
 * Staff: the bank's return file (pain.002.001.03) sent from the debits page, applied by the same
 * service as billing:sepa-returns. The file is judged by its content (XML, the report's namespace),
 * never by its name or announced type; every refusal is shown beside the field.
 */
export default class SepaReturnsController {
  async store(ctx: HttpContext) {
    const { request, session, response } = ctx
    const month = String(request.input('month') ?? '')
    const file = request.file('file')
    if (!file || !file.tmpPath) throw fieldError('file', 'Choisissez le fichier de retour reçu de la banque (pain.002, XML).')
    const bytes = await readFile(file.tmpPath)
    const content = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
    if (!/^\uFEFF?\s*</.test(content) || content.includes('\u0000')) {
      throw fieldError('file', `« ${file.clientName} » n’est pas un fichier XML : envoyez le compte rendu pain.002.001.03 reçu de la banque.`)
    }
    const user = ctx.auth.getUserOrFail()
    let result
    try {
      result = await debitReturnService.import(content, file.clientName, { skipUnknown: Boolean(request.input('skipUnknown')), actor: { id: user.id, fullName: user.fullName } })
    } catch (error) {
      if (error instanceof BillingError) throw fieldError('file', error.message)
      throw error
    }
    const { applied, alreadyApplied, skipped, batch } = result
    const parts = [
      applied.length ? `${plural(applied.length, 'rejet appliqué', 'rejets appliqués')} : factures de nouveau à payer, familles prévenues` : null,
      alreadyApplied.length ? `${plural(alreadyApplied.length, 'rejet')} déjà appliqué${alreadyApplied.length > 1 ? 's' : ''} : rien n’est fait deux fois` : null,
      skipped.length ? `${plural(skipped.length, 'rejet inconnu ignoré', 'rejets inconnus ignorés')} (${skipped.join(', ')})` : null,
    ].filter(Boolean)
    session.flash(applied.length ? 'alert.success' : 'alert.info', `Retour de la banque sur le lot ${batch.message_id} : ${parts.length ? parts.join(' ; ') : 'aucun prélèvement rejeté'}.`)
    return response.redirect().toRoute('billing.staff.mandates', {}, { qs: { month: batch.month || month } })
  }
}
