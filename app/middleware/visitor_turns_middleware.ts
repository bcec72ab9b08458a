import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { LoopTurns } from '#core/loop_turns'
import { fromServerSideSession } from '#core/tiered_session_store'

/** ~1 ms of work each (the login page, a login up to its password check): a turn's block ≲ 10 ms. */
export const VISITORS_PER_TURN = 8

const visitorTurns = new LoopTurns(VISITORS_PER_TURN)

/**
 * Requests of signed-in sessions go first; visitors' requests (the login page and the logins of
 * a rush) are admitted a few per turn of the event loop (app/core/loop_turns.ts). Measured on the
 * rush (300 parents at once): the event loop's longest block, and so the month page's worst
 * latency, came from the hundreds of login requests read in one go.
 */
export default class VisitorTurnsMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    if (fromServerSideSession(ctx)) return next()
    const admitted = visitorTurns.admit()
    return admitted ? admitted.then(next) : next()
  }
}
