import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { Exception } from '@adonisjs/core/exceptions'
import { errors } from '@vinejs/vine'
import apiParticulierConfig from '#modules/dossier/api_particulier/config'
import Guardian from '#modules/dossier/models/guardian'
import type Family from '#modules/dossier/models/family'
import { requireFamily } from '#modules/dossier/services/family_access'
import quotientRetrieval, { identityOf } from '#modules/dossier/services/quotient_retrieval'
import { monthName, providerName } from '#modules/dossier/services/quotient_words'
import { idParam } from '#modules/dossier/controllers/family_context'
import { quotientRetrievalValidator, splitFirstNames } from '#modules/dossier/validators/quotient_retrieval'

/** The signed-in parent's own guardian record: the identity asked of the CAF/MSA is theirs. */
async function ownGuardian(ctx: HttpContext, family: Family) {
  const user = ctx.auth.getUserOrFail()
  return (await Guardian.query().where('family_id', family.id).where('user_id', user.id).first()) ?? (await Guardian.query().where('family_id', family.id).orderBy('position').firstOrFail())
}

/** The public tariff simulator, set to a QF, when billing is on (the dossier does not depend on it). */
function simulatorUrl(qf: number, regime: string) {
  try {
    return `${router.makeUrl('billing.simulator')}?qf=${qf}&regime=${regime}`
  } catch {
    return null
  }
}

/** The portal's 404 page (the feature off, or another family's result). */
function notFound(): never {
  throw new Exception('Page introuvable', { status: 404, code: 'E_NOT_FOUND' })
}

/** "Récupérer mon quotient familial" (API Particulier); absent (404) when the commune has not configured it. */
export default class QuotientRetrievalController {
  async #family(ctx: HttpContext) {
    if (!apiParticulierConfig.enabled) notFound()
    return requireFamily(ctx)
  }

  async show(ctx: HttpContext) {
    const family = await this.#family(ctx)
    const guardian = await ownGuardian(ctx, family)
    const consent = await quotientRetrieval.activeConsent(family.id)
    return ctx.view.render('dossier::pages/quotient_retrieval', { family, guardian, consent, identityKnown: identityOf(guardian) !== null })
  }

  async fetch(ctx: HttpContext) {
    const family = await this.#family(ctx)
    const data = await ctx.request.validateUsing(quotientRetrievalValidator)
    const consent = await quotientRetrieval.activeConsent(family.id)
    const firstNames = splitFirstNames(data.firstNames)
    const fieldError = !consent && !data.consent ? ['consent', 'Cochez la case pour donner votre accord.'] : firstNames.length > 3 ? ['firstNames', 'Indiquez trois prénoms au plus, dans l’ordre de l’état civil.'] : null
    if (fieldError) {
      ctx.session.flashValidationErrors(new errors.E_VALIDATION_ERROR([{ field: fieldError[0], message: fieldError[1], rule: 'custom' }]))
      return ctx.response.redirect().toRoute('dossier.quotient.retrieval')
    }
    const identity = {
      birthName: data.birthName,
      firstNames,
      sex: data.sex,
      birthDate: data.birthDate,
      birthCountryCode: data.birthCountryCode,
      birthCommuneCode: data.birthCountryCode === '99100' ? (data.birthCommuneCode ?? null) : null,
    }
    const user = ctx.auth.getUserOrFail()
    await quotientRetrieval.giveConsent(family, await ownGuardian(ctx, family), user, identity)
    const { fetch, sentence } = await quotientRetrieval.retrieve(family, identity, user)
    if (!fetch) {
      ctx.session.flashAll()
      ctx.session.flash('alert.error', `${sentence} Votre dossier n'a pas été modifié.`)
      return ctx.response.redirect().toRoute('dossier.quotient.retrieval')
    }
    return ctx.response.redirect().toRoute('dossier.quotient.result', { id: fetch.id })
  }

  async result(ctx: HttpContext) {
    const family = await this.#family(ctx)
    const fetch = await quotientRetrieval.fetchOf(family.id, idParam(ctx.params.id))
    if (!fetch) notFound()
    return ctx.view.render('dossier::pages/quotient_result', {
      family,
      retrieved: fetch,
      provider: providerName(fetch.provider),
      month: monthName(fetch.year, fetch.month),
      keptByService: family.quotientOrigin === 'service' && family.familyQuotient !== fetch.value,
      simulatorUrl: simulatorUrl(fetch.value, fetch.provider),
    })
  }

  async confirm(ctx: HttpContext) {
    const family = await this.#family(ctx)
    const fetch = await quotientRetrieval.fetchOf(family.id, idParam(ctx.params.id))
    if (!fetch) notFound()
    const outcome = await quotientRetrieval.confirm(family.id, fetch.id, ctx.auth.getUserOrFail())
    const month = monthName(fetch.year, fetch.month)
    const messages = {
      'applied': `Votre quotient familial (${fetch.value}) est enregistré : il s'applique aux factures à partir de ${month}.`,
      'unchanged': `Votre quotient familial (${fetch.value}) était déjà à jour : rien n'a changé.`,
      'kept-service': `Le quotient familial de votre dossier a été fixé par le service : il est conservé. La valeur récupérée (${fetch.value}) lui est transmise ; il vous répondra.`,
      'already-confirmed': 'Ce quotient familial a déjà été confirmé.',
    }
    ctx.session.flash(outcome === 'kept-service' || outcome === 'already-confirmed' ? 'alert.info' : 'alert.success', messages[outcome])
    return ctx.response.redirect().toRoute('dossier.show')
  }

  async revoke(ctx: HttpContext) {
    const family = await this.#family(ctx)
    const revoked = await quotientRetrieval.revokeConsent(family, ctx.auth.getUserOrFail())
    ctx.session.flash(revoked ? 'alert.success' : 'alert.info', revoked ? 'Votre accord est retiré : votre quotient familial ne sera plus récupéré auprès de la CAF ou de la MSA.' : "Aucun accord n'était en cours.")
    return ctx.response.redirect().toRoute('dossier.quotient.retrieval')
  }
}
