import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import { requireFamily } from '#modules/dossier/index'
import waitlistOfferService, { type OfferAnswer } from '#modules/planning/services/waitlist_offer_service'
import { describeDay } from '#modules/planning/services/booking_outcome'
import { offerTime } from '#modules/planning/services/waitlist_offers'
import { actorOf } from '#modules/planning/controllers/family_access'
import type WaitlistOffer from '#modules/planning/models/waitlist_offer'


const UNAVAILABLE: Record<string, string> = {
  closed: "Cette journée a été fermée par le service : la place ne peut plus être réservée.",
  not_registered: "L'inscription à cette activité ne couvre plus ce jour : la place ne peut pas être réservée.",
  withdrawn: "Cette place n'est plus proposée (l'enfant a quitté la liste d'attente ou est déjà réservé ce jour).",
}

function answerMessage(answer: OfferAnswer, offer: WaitlistOffer): { type: 'success' | 'info' | 'error'; text: string } {
  const what = describeDay(offer.activityDay.activity.name, offer.day, offer.child.firstName)
  switch (answer.status) {
    case 'booked':
      return { type: 'success', text: `Place réservée : ${what}.` }
    case 'already_booked':
      return { type: 'info', text: `Cette place est déjà réservée : ${what}.` }
    case 'expired':
      return { type: 'error', text: `Trop tard : cette proposition a expiré le ${offerTime(offer.expiresAt)}. La place a été proposée à l'enfant suivant de la liste d'attente.` }
    case 'declined':
      return { type: 'info', text: `Place refusée : ${what}. Elle est proposée à l'enfant suivant de la liste d'attente.` }
    default:
      return { type: 'error', text: UNAVAILABLE[answer.reason] }
  }
}

/** The page a waiting family reaches from the message « Une place s'est libérée »: book in one click, or decline. */
export default class WaitlistOffersController {
  async show(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const id = Number(ctx.params.id)
    // an offer whose time is over passes on as soon as it is looked at
    await waitlistOfferService.expireDue(DateTime.utc(), { offerId: id, familyId: family.id })
    const offer = await waitlistOfferService.forFamily(family.id, id)
    return ctx.view.render('planning::pages/offer', {
      offer,
      what: describeDay(offer.activityDay.activity.name, offer.day, offer.child.firstName),
      expiry: offerTime(offer.expiresAt),
      decidedAt: offer.decidedAt ? offerTime(offer.decidedAt) : null,
    })
  }

  async accept(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const id = Number(ctx.params.id)
    const answer = await waitlistOfferService.accept(family.id, (await waitlistOfferService.forFamily(family.id, id)).id, actorOf(ctx))
    return this.#answered(ctx, family.id, id, answer)
  }

  async decline(ctx: HttpContext) {
    const family = await requireFamily(ctx)
    const id = Number(ctx.params.id)
    const answer = await waitlistOfferService.decline(family.id, (await waitlistOfferService.forFamily(family.id, id)).id)
    return this.#answered(ctx, family.id, id, answer)
  }

  async #answered({ session, response }: HttpContext, familyId: number, id: number, answer: OfferAnswer) {
    const message = answerMessage(answer, await waitlistOfferService.forFamily(familyId, id))
    session.flash(`alert.${message.type}`, message.text)
    return response.redirect().toRoute('planning.offers.show', { id })
  }
}
