import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { Exception } from '@adonisjs/core/exceptions'
import { errors } from '@vinejs/vine'
import { franceconnectDataToken } from '#modules/accounts/index'
import apiParticulierConfig, { FRANCECONNECT_QUOTIENT_SCOPE } from '#modules/dossier/api_particulier/config'
import Guardian from '#modules/dossier/models/guardian'
import type Family from '#modules/dossier/models/family'
import { requireFamily } from '#modules/dossier/services/family_access'
import quotientRetrieval, { identityOf } from '#modules/dossier/services/quotient_retrieval'
import { monthName, providerName } from '#modules/dossier/services/quotient_words'
import { idParam } from '#modules/dossier/controllers/family_context'
import { quotientFranceConnectValidator, quotientRetrievalValidator, splitFirstNames } from '#modules/dossier/validators/quotient_retrieval'

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

/** The parent's FranceConnect access token when this session signed in with FranceConnect granting the QF scope. */
function franceconnectToken(ctx: HttpContext) {
  return franceconnectDataToken.for(ctx, FRANCECONNECT_QUOTIENT_SCOPE)
}

function fieldError(ctx: HttpContext, field: string, message: string) {
  ctx.session.flashValidationErrors(new errors.E_VALIDATION_ERROR([{ field, message, rule: 'custom' }]))
  return ctx.response.redirect().toRoute('dossier.quotient.retrieval')
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
    const viaFranceConnect = franceconnectToken(ctx) !== null
    return ctx.view.render('dossier::pages/quotient_retrieval', { family, guardian, consent, identityKnown: identityOf(guardian) !== null, viaFranceConnect })
  }

  async fetch(ctx: HttpContext) {
    const family = await this.#family(ctx)
    if (ctx.request.input('via') === 'france_connect') return this.#fetchWithFranceConnect(ctx, family)
    const data = await ctx.request.validateUsing(quotientRetrievalValidator)
    const consent = await quotientRetrieval.activeConsent(family.id)
    const firstNames = splitFirstNames(data.firstNames)
    if (!consent && !data.consent) return fieldError(ctx, 'consent', 'Cochez la case pour donner votre accord.')
    if (firstNames.length > 3) return fieldError(ctx, 'firstNames', 'Indiquez trois prénoms au plus, dans l’ordre de l’état civil.')
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

  /**
   * Signed in with FranceConnect: API Particulier's /france_connect with the parent's access token
   * (the parent authorised the exchange on FranceConnect's page; the notice and the consent are
   * still shown and stored). A refused or expired token is forgotten: the page then asks the
   * birth identity.
   */
  async #fetchWithFranceConnect(ctx: HttpContext, family: Family) {
    const token = franceconnectToken(ctx)
    if (!token) {
      ctx.session.flash('alert.error', "Votre autorisation FranceConnect n'est plus valable (elle ne dure que quelques minutes après la connexion) : indiquez votre identité de naissance ci-dessous, ou reconnectez-vous avec FranceConnect. Votre dossier n'a pas été modifié.")
      return ctx.response.redirect().toRoute('dossier.quotient.retrieval')
    }
    const data = await ctx.request.validateUsing(quotientFranceConnectValidator)
    if (!(await quotientRetrieval.activeConsent(family.id)) && !data.consent) return fieldError(ctx, 'consent', 'Cochez la case pour donner votre accord.')
    const user = ctx.auth.getUserOrFail()
    await quotientRetrieval.giveConsent(family, await ownGuardian(ctx, family), user, null)
    const { answer, fetch, sentence } = await quotientRetrieval.retrieve(family, { franceconnectToken: token }, user)
    if (!fetch) {
      if (!answer.ok && answer.kind === 'bad_token') franceconnectDataToken.forget(ctx)
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
