import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import encryption from '@adonisjs/core/services/encryption'
import logger from '@adonisjs/core/services/logger'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import SepaMandate, { type MandateSequence, type MandateStatus } from '#modules/billing/models/sepa_mandate'
import { BillingError, type Actor } from '#modules/billing/services/billing_error'
import { generateRum, maskIban, normalizeBic, normalizeIban } from '#modules/billing/services/sepa/iban'
import { familyService, historyService } from '#modules/dossier/index'
import audit from '#services/audit_service'
import communeSettings from '#services/commune_settings'
import { sepaCreditor, type SepaCreditor } from '#modules/billing/config/sepa'
import { mandatePdf } from '#modules/billing/services/sepa/mandate_pdf'
import { dbTimeOf } from '#core/db_time'
import { chunks } from '#core/chunks'
import type { LoopShare } from '#core/loop_share'
import { parisDayOf } from '#core/calendar_day'

export interface MandateInput {
  holderName: string
  iban: string
  bic?: string | null
}

/** The signed mandate's PDF could not be written: nothing was signed. */
export class MandateDocumentError extends BillingError {}

/** What a debit file needs of a mandate (`debitMandates`). */
export interface DebitMandate {
  id: number
  rum: string
  holderName: string
  ibanEncrypted: string
  bic: string | null
  sequence: MandateSequence
  /** The signature's day in Paris (ISO). */
  signedOn: string
}

/** Encryption purpose: an IBAN sealed for one table, not reusable elsewhere. */
const PURPOSE = 'sepa_mandates.iban'

/**
 * SEPA mandates: signed by a parent online, changed (a new mandate replaces the active one) or
 * revoked. One active mandate per family (the transaction holds the family's row; a partial
 * unique index stands behind). The IBAN is encrypted at rest; history and audit see it masked.
 * Whether the commune offers direct debit (an ICS configured) is the callers' check; sign refuses
 * without one (the signed PDF prints the ICS).
 *
 * The signed mandate's PDF is written inside the signing transaction and filed in the family's
 * documents there (dossier's shareDocument): a PDF or storage failure rolls the signature back,
 * a rolled-back signature removes the file. Never a mandate without its document, nor the reverse.
 */
class MandateService {
  async sign(family: { id: number; reference: string }, user: Actor, input: MandateInput): Promise<SepaMandate> {
    const iban = normalizeIban(input.iban)
    const masked = maskIban(iban)
    // Read before the transaction: SQLite's one connection is the transaction's inside it.
    const creditor = await sepaCreditor()
    if (!creditor) throw new BillingError('La commune ne propose pas le prélèvement automatique.')
    const commune = await communeSettings.get()
    return db.transaction(async (trx) => {
      const household = await this.holdFamily(trx, family.id)
      const previous = await SepaMandate.query({ client: trx }).where('family_id', family.id).where('status', 'active').first()
      // A second click on SIGNER, or the same account again: nothing to replace.
      if (previous && this.iban(previous) === iban) {
        throw new BillingError('Ce compte est déjà celui de votre mandat actif : pour changer de compte, saisissez l’IBAN du nouveau compte.')
      }
      const count = await trx.from('sepa_mandates').where('family_id', family.id).count('* as total').first()
      const now = DateTime.utc()
      const day = parisDayOf(now.toMillis())
      // Two references may read the same once reduced to capitals and digits ("F-1", "F1"): the next counter then.
      let counter = Number(count?.total ?? 0) + 1
      while (await trx.from('sepa_mandates').where('rum', generateRum(family.reference, day, counter)).first()) counter++
      const mandate = await SepaMandate.create(
        {
          familyId: family.id,
          rum: generateRum(family.reference, day, counter),
          holderName: input.holderName.trim(),
          ibanEncrypted: this.sealIban(iban),
          ibanMasked: masked,
          bic: input.bic ? normalizeBic(input.bic) : null,
          signedAt: now,
          signedByUserId: user.id,
          sequence: 'FRST',
          // Inserted as 'replaced' then switched once the previous one is closed: the partial
          // unique index never sees two active mandates, even inside the transaction.
          status: previous ? 'replaced' : 'active',
        },
        { client: trx }
      )
      if (previous) await this.close(trx, previous.id, 'replaced', user, mandate.id)
      mandate.documentId = await this.fileSignedDocument(trx, family.id, user, creditor, commune, mandate, household)
      mandate.status = 'active'
      await mandate.useTransaction(trx).save()
      const change = previous ? `remplace le mandat ${previous.rum} (${previous.ibanMasked})` : null
      await historyService.record(
        family.id,
        {
          module: 'billing',
          kind: previous ? 'sepa-mandate-replaced' : 'sepa-mandate-signed',
          text: `Mandat de prélèvement SEPA ${mandate.rum} signé pour le compte ${masked} de ${mandate.holderName}${change ? ` ; il ${change}` : ''}`,
          link: router.makeUrl('billing.mandate'),
        },
        trx
      )
      await audit.record(
        {
          actor: user,
          action: previous ? 'billing.sepa_mandate.replaced' : 'billing.sepa_mandate.signed',
          subjectType: 'family',
          subjectId: family.id,
          details: { mandateId: mandate.id, rum: mandate.rum, iban: masked, bic: mandate.bic, replacedMandateId: previous?.id ?? null, documentId: mandate.documentId },
        },
        trx
      )
      return mandate
    })
  }

  /** Ends the family's active mandate; the invoices are paid online again. */
  async revoke(family: { id: number }, user: Actor): Promise<SepaMandate> {
    return db.transaction(async (trx) => {
      await this.holdFamily(trx, family.id)
      const mandate = await SepaMandate.query({ client: trx }).where('family_id', family.id).where('status', 'active').first()
      if (!mandate) throw new BillingError("Vous n'avez pas de mandat de prélèvement actif.")
      await this.close(trx, mandate.id, 'revoked', user, null)
      await historyService.record(
        family.id,
        {
          module: 'billing',
          kind: 'sepa-mandate-revoked',
          text: `Mandat de prélèvement SEPA ${mandate.rum} révoqué (compte ${mandate.ibanMasked}) : les factures se paient de nouveau en ligne ou au guichet`,
          link: router.makeUrl('billing.mandate'),
        },
        trx
      )
      await audit.record(
        { actor: user, action: 'billing.sepa_mandate.revoked', subjectType: 'family', subjectId: family.id, details: { mandateId: mandate.id, rum: mandate.rum, iban: mandate.ibanMasked } },
        trx
      )
      return SepaMandate.query({ client: trx }).where('id', mandate.id).firstOrFail()
    })
  }

  activeFor(familyId: number) {
    return SepaMandate.query().where('family_id', familyId).where('status', 'active').first()
  }

  /** Every mandate of the family, newest first: the active one and those ended (kept as proof). */
  ofFamily(familyId: number) {
    return SepaMandate.query().where('family_id', familyId).orderBy('signed_at', 'desc').orderBy('id', 'desc')
  }

  /** The clear IBAN, for the debit file (a later slice) and the holder's RGPD export only. */
  /**
   * The mandates of a debit file (or a PES file) by id, read with the caller's client, as plain
   * records: 20,000 models bound to a transaction each listen for its end (the commit spent
   * seconds removing listeners), and their five dates each cost a parse.
   */
  async debitMandates(client: QueryClientContract, ids: number[], share?: LoopShare): Promise<Map<number, DebitMandate>> {
    const mandates = new Map<number, DebitMandate>()
    for (const slice of chunks([...new Set(ids)], 1000)) {
      const rows = await client.from('sepa_mandates').whereIn('id', slice).select('id', 'rum', 'holder_name', 'iban_encrypted', 'bic', 'sequence', 'signed_at')
      for (const row of rows) {
        await share?.turn()
        // As the model reads it (column.dateTime), then its day in Paris.
        const signedAt = typeof row.signed_at === 'string' ? DateTime.fromSQL(row.signed_at) : DateTime.fromJSDate(row.signed_at)
        mandates.set(Number(row.id), {
          id: Number(row.id),
          rum: row.rum,
          holderName: row.holder_name,
          ibanEncrypted: row.iban_encrypted,
          bic: row.bic,
          sequence: row.sequence,
          signedOn: signedAt.setZone('Europe/Paris').toISODate()!,
        })
      }
    }
    return mandates
  }

  /** The IBAN as stored (`iban_encrypted`): encrypted for this table only. */
  sealIban(iban: string): string {
    return encryption.encrypt(iban, undefined, PURPOSE)
  }

  iban(mandate: Pick<SepaMandate, 'ibanEncrypted'>): string | null {
    return encryption.decrypt<string>(mandate.ibanEncrypted, PURPOSE)
  }

  /** The staff list: newest first, with the family's reference, filtered by status. */
  list(options: { status?: MandateStatus | null; page: number; perPage?: number }) {
    const query = db
      .from('sepa_mandates')
      .join('families', 'families.id', 'sepa_mandates.family_id')
      .select(
        'sepa_mandates.id',
        'sepa_mandates.family_id',
        'families.reference as family_reference',
        'sepa_mandates.rum',
        'sepa_mandates.holder_name',
        'sepa_mandates.iban_masked',
        'sepa_mandates.bic',
        'sepa_mandates.signed_at',
        'sepa_mandates.sequence',
        'sepa_mandates.status',
        'sepa_mandates.ended_at',
        'sepa_mandates.document_id'
      )
      .orderBy('sepa_mandates.signed_at', 'desc')
      .orderBy('sepa_mandates.id', 'desc')
    if (options.status) query.where('sepa_mandates.status', options.status)
    return query.paginate(options.page, options.perPage ?? 50)
  }

  private async close(trx: TransactionClientContract, id: number, status: 'revoked' | 'replaced', user: Actor, replacedById: number | null) {
    const now = dbTimeOf(trx)
    await trx
      .from('sepa_mandates')
      .where('id', id)
      .where('status', 'active')
      .update({ status, ended_at: now, ended_by_user_id: user.id, replaced_by_id: replacedById, updated_at: now })
  }

  /** The PDF "Mandat de prélèvement SEPA", in the family's documents as "Mandat SEPA <RUM>.pdf". */
  private async fileSignedDocument(
    trx: TransactionClientContract,
    familyId: number,
    user: Actor,
    creditor: SepaCreditor,
    commune: { name: string; colorPrimary: string },
    mandate: SepaMandate,
    household: { address: string | null; postal_code: string | null; city: string | null }
  ): Promise<number> {
    const town = [household.postal_code, household.city].filter(Boolean).join(' ')
    try {
      const bytes = await mandatePdf(commune, creditor, {
        rum: mandate.rum,
        holderName: mandate.holderName,
        holderAddress: [household.address, town].filter((line): line is string => Boolean(line)),
        ibanMasked: mandate.ibanMasked,
        bic: mandate.bic,
        signedAt: mandate.signedAt,
        signedBy: user.fullName,
      })
      const document = await familyService.shareDocument(trx, { familyId, category: 'mandat_sepa', name: `Mandat SEPA ${mandate.rum}.pdf`, bytes, sharedBy: user.id })
      return document.id
    } catch (error) {
      logger.error({ err: error, familyId, rum: mandate.rum }, 'signed SEPA mandate document not written')
      throw new MandateDocumentError(
        'La signature n’a pas abouti : le document du mandat n’a pas pu être enregistré. Aucun mandat n’a été signé ; réessayez dans quelques instants.',
        { cause: error }
      )
    }
  }

  /** Serializes two signatures of the same family (PostgreSQL row lock; SQLite writes one at a time); its address for the mandate. */
  private async holdFamily(trx: TransactionClientContract, familyId: number) {
    const query = trx.from('families').where('id', familyId).select('id', 'address', 'postal_code', 'city')
    if (trx.dialect.name === 'postgres') query.forUpdate()
    return query.firstOrFail()
  }
}

const mandateService = new MandateService()
export default mandateService
