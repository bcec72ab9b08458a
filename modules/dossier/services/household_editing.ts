import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import router from '@adonisjs/core/services/router'
import type { User } from '#modules/accounts/index'
import audit from '#services/audit_service'
import Family, { type QuotientSource, type Regime } from '#modules/dossier/models/family'
import Guardian from '#modules/dossier/models/guardian'
import historyService from '#modules/dossier/services/history_service'
import { ensureParentAccount, sendActivationLink } from '#modules/dossier/services/account_bridge'
import { assign, FAMILY_LABELS, phoneOrNull, type Changes } from '#modules/dossier/services/dossier_edits'

/**
 * Staff create or edit a household and its guardians; guardians with an email get a
 * pending parent account (and, on request, the activation mail).
 */
export async function saveFamily(family: Family | null, data: Record<string, any>, actor: User): Promise<{ family: Family; changes: Changes; accounts: number; mailed: number }> {
  const changes: Changes = []
  const created = !family
  const newAccounts: User[] = []
  const target = await db.transaction(async (trx) => {
    const record = family ?? new Family()
    record.useTransaction(trx)
    const values = {
      reference: data.reference,
      address: data.address ?? null,
      postalCode: data.postalCode ?? null,
      city: data.city ?? null,
      phone: phoneOrNull(data.phone),
      mobilePhone: phoneOrNull(data.mobilePhone),
      email: data.email?.toLowerCase() ?? null,
      regime: data.regime as Regime,
      resident: !!data.resident,
    }
    if (created) Object.assign(record, values)
    else assign(record, values, FAMILY_LABELS, changes)
    await record.save()

    const guardians = created ? [] : await Guardian.query({ client: trx }).where('family_id', record.id)
    for (const position of [1, 2] as const) {
      const lastName = data[`guardian${position}LastName`]
      const firstName = data[`guardian${position}FirstName`]
      const existing = guardians.find((g) => g.position === position)
      if (!lastName || !firstName) {
        if (existing && position === 2 && !lastName && !firstName) {
          await Guardian.query({ client: trx }).where('id', existing.id).delete()
          changes.push(`responsable 2 retiré du dossier : ${existing.fullName}`)
        }
        continue
      }
      const guardian = existing ?? new Guardian()
      guardian.useTransaction(trx)
      const guardianValues = {
        civility: data[`guardian${position}Civility`] ?? null,
        lastName,
        firstName,
        email: data[`guardian${position}Email`]?.toLowerCase() ?? null,
        phone: phoneOrNull(data[`guardian${position}Phone`]),
      }
      if (existing) {
        assign(guardian, guardianValues, { civility: 'civilité', lastName: 'nom', firstName: 'prénom', email: 'courriel', phone: 'téléphone' }, changes, `responsable ${position}, `)
      } else {
        Object.assign(guardian, guardianValues, { familyId: record.id, position })
        if (!created) changes.push(`responsable ${position} ajouté : ${firstName} ${lastName}`)
      }
      await guardian.save()
    }
    if (created) {
      await historyService.record(record.id, { module: 'dossier', kind: 'family-created', text: 'Dossier créé par le service' }, trx)
    } else if (changes.length) {
      await historyService.record(record.id, { module: 'dossier', kind: 'family-updated', text: `Dossier modifié par le service : ${changes.join(' ; ')}` }, trx)
    }
    await audit.record({ actor, action: created ? 'dossier.family.create' : 'dossier.family.update', subjectType: 'family', subjectId: record.id, details: { changes } }, trx)
    const withoutAccount = await Guardian.query({ client: trx }).where('family_id', record.id).whereNull('user_id').whereNotNull('email')
    for (const guardian of withoutAccount) {
      const account = await ensureParentAccount(guardian.email!, guardian.fullName, trx)
      if (!account) continue
      guardian.userId = account.user.id
      await guardian.save()
      if (account.created) newAccounts.push(account.user)
    }
    return record
  })

  let mailed = 0
  if (data.sendActivation) {
    for (const user of newAccounts) if (await sendActivationLink(user).catch(() => false)) mailed++
  }
  const accounts = newAccounts.length
  if (created) await emitter.emit('dossier:family-created', { familyId: target.id, source: 'staff' })
  return { family: target, changes, accounts, mailed }
}

/** The service records the family quotient, its source and date (audited); returns what changed. */
export async function setQuotient(family: Family, data: { familyQuotient?: number; quotientSource?: QuotientSource; quotientReferenceDate?: string }, actor: User): Promise<Changes> {
  const changes: Changes = []
  await db.transaction(async (trx) => {
    family.useTransaction(trx)
    assign(
      family,
      {
        familyQuotient: data.familyQuotient ?? null,
        quotientSource: data.quotientSource ?? null,
        quotientReferenceDate: data.quotientReferenceDate ?? null,
      },
      { familyQuotient: 'quotient familial', quotientSource: 'source', quotientReferenceDate: 'date de référence' },
      changes
    )
    if (!changes.length) return
    // A QF the service sets stays until the service removes it: a fetch from the CAF/MSA never replaces it.
    family.quotientOrigin = family.familyQuotient === null ? null : 'service'
    await family.save()
    await historyService.record(family.id, { module: 'dossier', kind: 'quotient-updated', text: `Quotient familial mis à jour par le service : ${changes.join(' ; ')}`, link: router.makeUrl('dossier.show') }, trx)
    await audit.record({ actor, action: 'dossier.quotient.update', subjectType: 'family', subjectId: family.id, details: { changes } }, trx)
  })
  return changes
}
