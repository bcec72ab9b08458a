import { readFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import planningViewService from '#modules/planning/services/planning_view_service'
import { PERIOD_VIEWS, type PeriodView } from '#modules/planning/services/planning_period'
import { STATE_LABELS } from '#modules/planning/services/planning_cells'
import basketService, { type BasketDiff, type BasketLine } from '#modules/planning/services/basket_service'
import { basketCost } from '#modules/planning/services/basket_cost'
import bookingService from '#modules/planning/services/booking_service'
import waitlistOfferService from '#modules/planning/services/waitlist_offer_service'
import { describeDay } from '#modules/planning/services/booking_outcome'
import { offerTime } from '#modules/planning/services/waitlist_offers'
import { actorOf } from '#modules/planning/controllers/family_access'
import { actsFor, familyIdOf, familyOf } from '#modules/dossier/index'
import { basketValidator } from '#modules/planning/validators/planning'
import { listInput } from '#core/list_input'
import moduleRegistry from '#core/module_registry'
import { plural } from '#core/french'
import { isCalendarDay, parisDayOf } from '#core/calendar_day'
import { planningBasis, planningPageCache, readPlanningBasis, readPlanningCounts } from '#modules/planning/services/planning_page_cache'

function periodInput(ctx: HttpContext) {
  const raw = String(ctx.request.input('vue', 'mois'))
  const view: PeriodView = PERIOD_VIEWS.some((entry) => entry.key === raw) ? (raw as PeriodView) : 'mois'
  const dateInput = String(ctx.request.input('date', ''))
  const date = isCalendarDay(dateInput) ? dateInput : parisDayOf()
  const by = ctx.request.input('par') === 'activite' ? ('activite' as const) : ('famille' as const)
  const activityId = Number(ctx.request.input('activite')) || null
  return { view, date, by, activityId }
}

type PeriodParams = { view: PeriodView; date: string; by: string; activityId: number | null }

function planningQuery(params: PeriodParams) {
  const qs: Record<string, string | number> = { vue: params.view, date: params.date }
  if (params.by === 'activite') qs.par = 'activite'
  if (params.activityId) qs.activite = params.activityId
  return qs
}

function planningUrl(params: PeriodParams) {
  return router.makeUrl('planning.index', {}, { qs: planningQuery(params) })
}

let stylesheet: Promise<string> | undefined

/** PLANNING for parents: the calendar by family or activity, the basket and the waiting list. */
export default class PlanningController {
  async index(ctx: HttpContext) {
    return this.#render(ctx, periodInput(ctx))
  }

  async summary(ctx: HttpContext) {
    return this.#render(ctx, { ...periodInput(ctx), view: 'recapitulatif' })
  }

  /** The planning's stylesheet, read once (in production) from the module's assets. */
  async stylesheet({ response }: HttpContext) {
    if (!stylesheet || !app.inProduction) stylesheet = readFile(app.makePath('modules/planning/assets/planning.css'), 'utf8')
    const css = await stylesheet
    response.header('Content-Type', 'text/css; charset=utf-8')
    response.header('Cache-Control', 'public, max-age=3600')
    return css
  }

  async apply(ctx: HttpContext) {
    const { request, response, session } = ctx
    const family = await familyOf(ctx)
    const input = periodInput(ctx)
    if (!family) return response.redirect().toRoute('planning.index')
    const basket = await basketValidator
      .validate({ action: request.input('action'), shown: listInput(request.input('shown')), selected: listInput(request.input('selected')) })
      .catch(() => null)
    if (!basket) {
      // Only a page edited by hand (or by a robot) sends such boxes: nothing is applied.
      session.flash('alert.error', "Votre sélection n'a pas pu être lue : rien n'a été modifié. Rechargez le planning puis recommencez.")
      return response.redirect().toRoute('planning.index', {}, { qs: planningQuery(input) })
    }
    const selected = basket.selected ?? []
    const diff = await basketService.diff(family.id, basket.shown ?? [], selected)
    const action = basket.action ?? 'apply'
    if (action === 'preview') {
      return this.#render(ctx, input, {
        pending: { bookings: diff.toBook.length, cancellations: diff.toCancel.length },
        selected: new Set(selected),
        diff,
      })
    }
    const lines = await basketService.apply(family.id, actorOf(ctx), diff)
    session.flash('planning.results', lines)
    if (!lines.length) session.flash('alert.info', 'Aucune modification à enregistrer.')
    if (action === 'finish') return response.redirect().toRoute('planning.index', {}, { qs: planningQuery({ ...input, view: 'recapitulatif' }) })
    return response.redirect().toRoute('planning.index', {}, { qs: planningQuery(input) })
  }

  async confirmQuit(ctx: HttpContext) {
    const input = periodInput(ctx)
    return ctx.view.render('planning::pages/quit', { back: planningUrl(input) })
  }

  async joinWaitlist(ctx: HttpContext) {
    const { request, response, session } = ctx
    const family = await familyOf(ctx)
    const input = periodInput(ctx)
    const match = /^(\d+)-(\d+)$/.exec(String(request.input('waitlist', '')))
    if (family && match) {
      const outcome = await bookingService.joinWaitlist(family.id, Number(match[1]), Number(match[2]), { as: 'parent', actor: actorOf(ctx) })
      session.flash(outcome.ok ? 'alert.success' : 'alert.error', outcome.message)
    }
    return response.redirect().toRoute('planning.index', {}, { qs: planningQuery(input) })
  }

  async leaveWaitlist(ctx: HttpContext) {
    const { request, response, session } = ctx
    const family = await familyOf(ctx)
    const input = periodInput(ctx)
    const match = /^(\d+)-(\d+)$/.exec(String(request.input('waitlist', '')))
    if (family && match && (await bookingService.leaveWaitlist(family.id, Number(match[1]), Number(match[2])))) {
      session.flash('alert.success', "Retiré de la liste d'attente.")
    }
    return response.redirect().toRoute('planning.index', {}, { qs: planningQuery(input) })
  }

  async #render(
    ctx: HttpContext,
    input: { view: PeriodView; date: string; by: 'famille' | 'activite'; activityId: number | null },
    basket: { pending: { bookings: number; cancellations: number }; selected: Set<string>; diff: BasketDiff } | null = null
  ) {
    // A page asked for again is sent as kept while what it shows reads the same (planning_page_cache);
    // its family's count moves when the account's link to the family does, and the policy still decides.
    const cacheKey = !basket && planningPageCache.servesAlike(ctx) ? planningPageCache.keyOf(ctx, 'planning') : null
    const generation = planningPageCache.generation
    const keptShape = cacheKey ? planningPageCache.shapeOf(cacheKey) : undefined
    if (keptShape && (await actsFor(ctx, keptShape.familyId))) {
      const kept = planningPageCache.serve(ctx, cacheKey!, await readPlanningBasis(ctx, keptShape))
      if (kept) {
        ctx.response.header('Content-Type', 'text/html; charset=utf-8')
        return kept
      }
    }
    const familyId = await familyIdOf(ctx)
    if (familyId === null) return ctx.view.render('planning::pages/no_family')
    // Rendered again, the page is kept: its counts are read before its data (a write after them makes another basis).
    const counts = cacheKey && planningPageCache.wasRendered(cacheKey) ? await readPlanningCounts(familyId) : null
    const page = await planningViewService.build(familyId, input)
    if (basket) {
      for (const row of page.rows) {
        for (const cell of row.cells) {
          if (cell.checkbox && !cell.checkbox.disabled) cell.checkbox.checked = basket.selected.has(cell.checkbox.value)
        }
      }
    }
    const offers = await pendingOffers(familyId)
    const results = (ctx.session.flashMessages.get('planning.results') ?? []) as BasketLine[]
    const refused = results.filter((line) => !line.ok)
    const urls = {
      previous: planningUrl({ ...input, date: page.previous }),
      next: planningUrl({ ...input, date: page.next }),
      today: planningUrl({ ...input, date: page.today }),
      views: PERIOD_VIEWS.map((entry) => ({ ...entry, href: planningUrl({ ...input, view: entry.key }), current: entry.key === input.view })),
      family: planningUrl({ ...input, by: 'famille', activityId: null }),
      activity: (id: number) => planningUrl({ ...input, by: 'activite', activityId: id }),
      quit: router.makeUrl('planning.quit', {}, { qs: { vue: input.view, date: input.date } }),
    }
    const html = await ctx.view.render('planning::pages/index', {
      page,
      urls,
      legend: Object.entries(STATE_LABELS)
        .filter(([key]) => key !== 'none' && key !== 'booked_locked' && (key !== 'other_household' || page.rows.some((row) => row.custodyNote)))
        .map(([key, label]) => ({ key, text: label.long })),
      results: {
        done: results.filter((line) => line.ok),
        refused,
        any: results.length > 0,
        // The page's title says it first (RGAA 7.5): « 3 modifications enregistrées, 1 refusée ».
        summary: basketSummary(results.length - refused.length, refused.length),
      },
      // A day refused: how else to ask (messaging: write to the service).
      refusedCards: refused.length ? await moduleRegistry.fillSlot('planning.basket.refused', ctx) : [],
      pending: basket?.pending ?? { bookings: 0, cancellations: 0 },
      // The basket's cost with the family's tariff, when a module prices it (billing).
      cost: basket ? await basketCost(familyId, basket.diff, page.rows) : null,
      input,
      offers,
    })
    if (cacheKey) {
      const shape = { familyId, activityIds: page.activityIds, start: page.start, end: page.end }
      planningPageCache.keep(ctx, cacheKey, {
        html,
        shape,
        basis: counts === null ? null : await planningBasis(ctx, shape, counts, page.daysRead()),
        // An offer past its time passes on to the next child at the next view. A page seen once is not kept: no time asked.
        until: counts === null ? 0 : Math.min(page.validUntil(), ...offers.map((offer) => offer.expiresAt)),
        generation,
      })
    }
    return html
  }
}

/** Places offered to the family's waiting children (an offer past its time passes on first). */
async function pendingOffers(familyId: number) {
  return (await waitlistOfferService.pendingForFamily(familyId)).map((offer) => ({
    expiresAt: offer.expiresAt.toMillis(),
    href: router.makeUrl('planning.offers.show', { id: offer.id }),
    text: `${describeDay(offer.activityName, offer.day, offer.childFirstName)} : une place vous est proposée jusqu'au ${offerTime(offer.expiresAt)}.`,
  }))
}

function basketSummary(done: number, refused: number): string | null {
  const parts = [
    done ? `${plural(done, 'modification enregistrée', 'modifications enregistrées')}` : null,
    refused ? `${plural(refused, 'modification refusée', 'modifications refusées')}` : null,
  ].filter(Boolean)
  return parts.length ? parts.join(', ') : null
}
