import Preference from '#modules/messaging/models/preference'

export interface MailPreferences {
  emailNotices: boolean
  emailNewMessages: boolean
}

/** Mail preferences per account; without a row, both are on. */
class PreferenceService {
  async of(userId: number): Promise<MailPreferences> {
    const row = await Preference.find(userId)
    return { emailNotices: row?.emailNotices ?? true, emailNewMessages: row?.emailNewMessages ?? true }
  }

  async update(userId: number, changes: Partial<MailPreferences>) {
    const current = await this.of(userId)
    await Preference.updateOrCreate({ userId }, { ...current, ...changes })
  }

  /** Those of the given accounts who refused a kind of mail. */
  async refusing(userIds: number[], kind: keyof MailPreferences): Promise<Set<number>> {
    if (!userIds.length) return new Set()
    const column = kind === 'emailNotices' ? 'email_notices' : 'email_new_messages'
    const rows = await Preference.query().whereIn('user_id', userIds).where(column, false)
    return new Set(rows.map((row) => row.userId))
  }
}

const preferenceService = new PreferenceService()
export default preferenceService
