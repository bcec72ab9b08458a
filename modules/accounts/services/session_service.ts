import app from '@adonisjs/core/services/app'
import { SessionCollection } from '@adonisjs/session'
import db from '@adonisjs/lucid/services/db'

/**
 * Ends a user's sessions: every session is tagged with its user at login (memory, database
 * and Redis stores support tags), so a new password or a disabled account logs the other
 * devices out; remember-me tokens are deleted so they cannot open a new session.
 */
class SessionService {
  async endSessions(userId: number, options: { exceptSessionId?: string; keepRememberToken?: number } = {}) {
    const collection = await app.container.make(SessionCollection)
    if (collection.supportsTagging()) {
      for (const session of await collection.tagged(String(userId))) {
        if (session.id !== options.exceptSessionId) await collection.destroy(session.id)
      }
    }
    const query = db.from('remember_me_tokens').where('tokenable_id', userId)
    if (options.keepRememberToken) query.whereNot('id', options.keepRememberToken)
    await query.delete()
  }
}

const sessionService = new SessionService()
export default sessionService
