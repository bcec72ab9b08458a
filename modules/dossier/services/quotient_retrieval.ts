/**
 * "Récupérer mon quotient familial": the parent's consent (dated, revocable), the call to API
 * Particulier (audited: who, which family, the result — never the body nor the token), and the
 * confirmation that applies the QF to the family from the month it is for. A QF set by the
 * service stays: the fetched value is then sent to the service as a change request.
 */
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { User } from '#modules/accounts/index'
import audit from '#services/audit_service'
import { dbTime } from '#core/db_time'
import { affectedRows } from '#core/sql_results'
import Family from '#modules/dossier/models/family'
import type Guardian from '#modules/dossier/models/guardian'
import historyService from '#modules/dossier/services/history_service'
import { requestChange } from '#modules/dossier/services/change_requests'
import { fetchQuotient, fetchQuotientWithFranceConnect, type BirthIdentity, type QuotientAnswer } from '#modules/dossier/api_particulier/client'
import { failureSentence, monthName, providerName, type QuotientVia } from '#modules/dossier/services/quotient_words'

/** The parent's FranceConnect access token of this session (never stored, never logged). */
export interface FranceConnectSource {
  franceconnectToken: string
}

export const COMMAND_ACTOR = 'commande families:refresh-qf'

export interface QuotientFetch {
  id: number
  familyId: number
  value: number
  provider: 'CAF' | 'MSA'
  year: number
  month: number
  confirmedAt: string | null
  outcome: string | null
}

export type ConfirmOutcome = 'applied' | 'unchanged' | 'kept-service' | 'already-confirmed'

/** The identity API Particulier is asked with, or null while the guardian has not given it. */
export function identityOf(guardian: Guardian): BirthIdentity | null {
  if (!guardian.birthName || !guardian.birthFirstNames || !guardian.birthSex || !guardian.birthDate || !guardian.birthCountryCode) return null
  if (guardian.birthCountryCode === '99100' && !guardian.birthCommuneCode) return null
  return {
    birthName: guardian.birthName,
    firstNames: guardian.birthFirstNames.split(/\s+/).filter(Boolean).slice(0, 3),
    sex: guardian.birthSex,
    birthDate: guardian.birthDate,
    birthCountryCode: guardian.birthCountryCode,
    birthCommuneCode: guardian.birthCountryCode === '99100' ? guardian.birthCommuneCode : null,
  }
}

const fromRow = (row: any): QuotientFetch => ({
  id: row.id,
  familyId: row.family_id,
  value: Number(row.value),
  provider: row.provider,
  year: Number(row.year),
  month: Number(row.month),
  confirmedAt: row.confirmed_at ? String(row.confirmed_at) : null,
  outcome: row.outcome,
})

class QuotientRetrieval {
  /** The families whose consent is in force (all, or the one of a reference), with the consenting guardian. */
  async consentingFamilies(reference?: string) {
    const query = db
      .from('quotient_consents')
      .join('families', 'families.id', 'quotient_consents.family_id')
      .whereNull('quotient_consents.revoked_at')
      .select('families.id as family_id', 'families.reference', 'quotient_consents.guardian_id')
      .orderBy('families.reference')
    if (reference) query.where('families.reference', reference)
    const rows = await query
    return rows.map((row) => ({ familyId: Number(row.family_id), reference: String(row.reference), guardianId: Number(row.guardian_id) }))
  }

  /** The family's consent in force: { id, guardianId, userId, givenAt } or null. */
  async activeConsent(familyId: number, client?: TransactionClientContract) {
    const row = await (client ?? db).from('quotient_consents').where('family_id', familyId).whereNull('revoked_at').orderBy('id', 'desc').first()
    return row ? { id: row.id as number, guardianId: row.guardian_id as number, userId: row.user_id as number | null, givenAt: row.given_at } : null
  }

  /**
   * The parent gives their consent (once: a second consent is not added), with their birth
   * identity; or, signed in with FranceConnect, without it (null): FranceConnect authorised the exchange.
   */
  async giveConsent(family: Family, guardian: Guardian, user: User, identity: BirthIdentity | null) {
    await db.transaction(async (trx) => {
      if (identity) {
        guardian.useTransaction(trx)
        guardian.merge({
          birthName: identity.birthName,
          birthFirstNames: identity.firstNames.join(' '),
          birthSex: identity.sex,
          birthDate: identity.birthDate,
          birthCountryCode: identity.birthCountryCode,
          birthCommuneCode: identity.birthCommuneCode,
        })
        await guardian.save()
      }
      // Serialises two consents of the same family (SQLite: the write lock; PostgreSQL: the row lock).
      await trx.from('families').where('id', family.id).update({ updated_at: dbTime() })
      if (await this.activeConsent(family.id, trx)) return
      await trx.table('quotient_consents').insert({ family_id: family.id, guardian_id: guardian.id, user_id: user.id, given_at: dbTime() })
      await historyService.record(family.id, { module: 'dossier', kind: 'quotient-consent', text: 'Accord donné pour la récupération du quotient familial auprès de la CAF ou de la MSA (API Particulier)', link: router.makeUrl('dossier.quotient.retrieval') }, trx)
      await audit.record({ actor: user, action: 'dossier.quotient.consent', subjectType: 'family', subjectId: family.id, details: { guardianId: guardian.id, via: identity ? 'identite' : 'france_connect' } }, trx)
    })
  }

  /** Withdraws the consent in force; returns false when there was none. */
  async revokeConsent(family: Family, user: User): Promise<boolean> {
    return db.transaction(async (trx) => {
      const revoked = await trx.from('quotient_consents').where('family_id', family.id).whereNull('revoked_at').update({ revoked_at: dbTime() })
      if (!affectedRows(revoked)) return false
      await historyService.record(family.id, { module: 'dossier', kind: 'quotient-consent-revoked', text: 'Accord retiré : le quotient familial ne sera plus récupéré auprès de la CAF ou de la MSA', link: router.makeUrl('dossier.show') }, trx)
      await audit.record({ actor: user, action: 'dossier.quotient.consent-revoked', subjectType: 'family', subjectId: family.id }, trx)
      return true
    })
  }

  /**
   * One call to API Particulier for the family — with a birth identity (/identite), or with the
   * parent's FranceConnect token (/france_connect) — audited (which call, never the token); the
   * answer kept for confirmation when found.
   */
  async retrieve(family: { id: number }, source: BirthIdentity | FranceConnectSource, actor: User | null, options: { keep?: boolean } = {}): Promise<{ answer: QuotientAnswer; fetch: QuotientFetch | null; sentence: string | null }> {
    const via: QuotientVia = 'franceconnectToken' in source ? 'france_connect' : 'identite'
    const answer = 'franceconnectToken' in source ? await fetchQuotientWithFranceConnect(source.franceconnectToken) : await fetchQuotient(source, { bypassCache: actor === null })
    await audit.record({
      actor,
      action: 'dossier.quotient.api-particulier',
      subjectType: 'family',
      subjectId: family.id,
      details: answer.ok
        ? { by: actor ? 'parent' : COMMAND_ACTOR, via, result: 'trouvé', provider: answer.quotient.provider, month: `${answer.quotient.year}-${String(answer.quotient.month).padStart(2, '0')}` }
        : { by: actor ? 'parent' : COMMAND_ACTOR, via, result: answer.kind, status: answer.status, code: answer.code },
    })
    if (!answer.ok) return { answer, fetch: null, sentence: failureSentence(answer, undefined, via) }
    if (options.keep === false) return { answer, fetch: null, sentence: null }
    const [inserted] = await db
      .table('quotient_fetches')
      .insert({ family_id: family.id, user_id: actor?.id ?? null, value: answer.quotient.value, provider: answer.quotient.provider, year: answer.quotient.year, month: answer.quotient.month, fetched_at: dbTime() })
      .returning('id')
    const id = typeof inserted === 'object' ? inserted.id : inserted
    return { answer, fetch: (await this.fetchOf(family.id, Number(id)))!, sentence: null }
  }

  /** A fetch of this family (null for another family's: a 404). */
  async fetchOf(familyId: number, fetchId: number): Promise<QuotientFetch | null> {
    const row = await db.from('quotient_fetches').where({ id: fetchId, family_id: familyId }).first()
    return row ? fromRow(row) : null
  }

  /**
   * Applies a fetched QF from its month on. Confirmed once: the same POST twice at the same
   * instant gives one history line (the conditional update lets one through).
   */
  async confirm(familyId: number, fetchId: number, actor: User | null): Promise<ConfirmOutcome> {
    let forService: { family: Family; fetch: QuotientFetch } | null = null
    const outcome = await db.transaction(async (trx): Promise<ConfirmOutcome> => {
      const taken = await trx.from('quotient_fetches').where({ id: fetchId, family_id: familyId }).whereNull('confirmed_at').update({ confirmed_at: dbTime() })
      if (!affectedRows(taken)) return 'already-confirmed'
      const fetch = fromRow(await trx.from('quotient_fetches').where('id', fetchId).first())
      const family = await Family.query({ client: trx }).where('id', familyId).forUpdate().firstOrFail()
      const referenceDate = `${fetch.year}-${String(fetch.month).padStart(2, '0')}-01`
      const result: ConfirmOutcome =
        family.quotientOrigin === 'service' && family.familyQuotient !== fetch.value
          ? 'kept-service'
          : family.familyQuotient === fetch.value && family.quotientSource === fetch.provider && family.quotientReferenceDate === referenceDate
            ? 'unchanged'
            : 'applied'
      await trx.from('quotient_fetches').where('id', fetchId).update({ outcome: result })
      if (result === 'kept-service') {
        forService = { family, fetch }
        return result
      }
      if (result === 'unchanged') return result
      const previous = family.familyQuotient
      family.merge({ familyQuotient: fetch.value, quotientSource: fetch.provider, quotientReferenceDate: referenceDate, quotientOrigin: 'api_particulier' })
      await family.save()
      const before = previous === null ? 'aucun' : String(previous)
      await historyService.record(familyId, {
        module: 'dossier',
        kind: 'quotient-updated',
        text: `Quotient familial récupéré auprès de ${providerName(fetch.provider)} : ${fetch.value} (applicable à partir de ${monthName(fetch.year, fetch.month)} ; précédent : ${before})${actor ? '' : ' — mise à jour périodique du service'}`,
        link: router.makeUrl('dossier.show'),
      }, trx)
      await audit.record({ actor, action: 'dossier.quotient.update', subjectType: 'family', subjectId: familyId, details: { by: actor ? 'parent' : COMMAND_ACTOR, origin: 'api_particulier', changes: [`quotient familial : ${before} → ${fetch.value}`] } }, trx)
      return result
    })
    const pending = forService as { family: Family; fetch: QuotientFetch } | null
    if (pending && actor) {
      const { family, fetch } = pending
      await requestChange(family, actor, { subject: 'quotient', message: `Quotient familial récupéré auprès de ${providerName(fetch.provider)} : ${fetch.value} pour ${monthName(fetch.year, fetch.month)}. Le quotient fixé par le service (${family.familyQuotient}) est conservé jusqu'à sa décision.` }, null)
    }
    return outcome
  }
}

const quotientRetrieval = new QuotientRetrieval()
export default quotientRetrieval
