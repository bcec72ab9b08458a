import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import type { User } from '#modules/accounts/index'
import audit from '#services/audit_service'
import type Family from '#modules/dossier/models/family'
import type Guardian from '#modules/dossier/models/guardian'
import historyService from '#modules/dossier/services/history_service'
import { assign, type Changes } from '#modules/dossier/services/dossier_edits'

const BIRTH_LABELS = {
  birthName: 'nom de naissance',
  birthFirstNames: 'prénoms de naissance',
  birthSex: 'sexe à l’état civil',
  birthDate: 'date de naissance',
  birthCountryCode: 'pays de naissance (code INSEE)',
  birthCommuneCode: 'commune de naissance (code INSEE)',
}

export interface BirthIdentityInput {
  birthName?: string
  birthFirstNames?: string
  birthSex?: 'F' | 'M'
  birthDate?: string
  birthCountryCode?: string
  birthCommuneCode?: string
}

/**
 * The service enters or corrects a guardian's birth identity (used for API Particulier's
 * /identite call, and to recognise the guardian coming through FranceConnect). An empty field
 * clears it; the commune only for people born in France. Dated in the history, audited.
 */
export async function saveBirthIdentity(family: Family, guardian: Guardian, data: BirthIdentityInput, actor: User): Promise<Changes> {
  const changes: Changes = []
  await db.transaction(async (trx) => {
    guardian.useTransaction(trx)
    const values = {
      birthName: data.birthName || null,
      birthFirstNames: data.birthFirstNames ? data.birthFirstNames.split(/[\s,]+/).filter(Boolean).join(' ') : null,
      birthSex: data.birthSex ?? null,
      birthDate: data.birthDate || null,
      birthCountryCode: data.birthCountryCode || null,
      birthCommuneCode: data.birthCountryCode === '99100' ? data.birthCommuneCode || null : null,
    }
    assign(guardian, values, BIRTH_LABELS, changes)
    if (!changes.length) return
    await guardian.save()
    await historyService.record(family.id, { module: 'dossier', kind: 'guardian-updated', text: `Identité de naissance de ${guardian.fullName} modifiée par le service : ${changes.join(' ; ')}`, link: router.makeUrl('dossier.show') }, trx)
    await audit.record({ actor, action: 'dossier.guardian.birth-identity', subjectType: 'family', subjectId: family.id, details: { guardianId: guardian.id, changes } }, trx)
  })
  return changes
}
