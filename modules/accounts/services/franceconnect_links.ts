import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import audit from '#services/audit_service'
import moduleRegistry from '#core/module_registry'
import { isUniqueViolation } from '#core/sql_results'
import User from '#modules/accounts/models/user'
import FranceconnectLink from '#modules/accounts/models/franceconnect_link'
import type { FranceConnectIdentity } from '#modules/accounts/services/franceconnect_client'

export type LinkOutcome = 'linked' | 'already-linked' | 'identity-taken' | 'account-has-another'

/** Which account a FranceConnect identity signs in to, and linking / unlinking it. */
class FranceconnectLinks {
  async forUser(userId: number) {
    return FranceconnectLink.findBy('userId', userId)
  }

  async userOf(sub: string): Promise<User | null> {
    const link = await FranceconnectLink.findBy('sub', sub)
    return link ? User.find(link.userId) : null
  }

  /** One identity per account and one account per identity (unique keys decide a race). */
  async link(user: User, sub: string, how: 'mon-compte' | 'courriel'): Promise<LinkOutcome> {
    const existing = await FranceconnectLink.findBy('userId', user.id)
    if (existing) return existing.sub === sub ? 'already-linked' : 'account-has-another'
    try {
      await db.transaction(async (trx) => {
        await FranceconnectLink.create({ userId: user.id, sub, linkedAt: DateTime.utc() }, { client: trx })
        await audit.record({ actor: user, action: 'accounts.franceconnect.linked', subjectType: 'user', subjectId: user.id, details: { how } }, trx)
      })
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      const again = await FranceconnectLink.findBy('userId', user.id)
      if (again) return again.sub === sub ? 'already-linked' : 'account-has-another'
      return 'identity-taken'
    }
    return 'linked'
  }

  async unlink(user: User): Promise<boolean> {
    return db.transaction(async (trx) => {
      const removed = await FranceconnectLink.query({ client: trx }).where('userId', user.id).delete()
      if (!Number(Array.isArray(removed) ? removed[0] : removed)) return false
      await audit.record({ actor: user, action: 'accounts.franceconnect.unlinked', subjectType: 'user', subjectId: user.id }, trx)
      return true
    })
  }

  /**
   * The activated parent account of the one guardian who bears this identity (same first given
   * name, family name and birth date, asked to the dossier module); null when none or several.
   */
  async matchingAccount(identity: FranceConnectIdentity): Promise<User | null> {
    const ask = moduleRegistry.hook('accounts.guardian-accounts')
    if (!ask) return null
    const userIds = await ask({ givenNames: identity.givenName, familyName: identity.familyName, birthdate: identity.birthdate })
    if (userIds.length !== 1) return null
    const user = await User.find(userIds[0])
    if (!user || user.state !== 'active' || user.role !== 'parent' || !user.email) return null
    if (await FranceconnectLink.findBy('userId', user.id)) return null
    return user
  }
}

const franceconnectLinks = new FranceconnectLinks()
export default franceconnectLinks
