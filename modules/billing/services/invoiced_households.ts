import db from '@adonisjs/lucid/services/db'
import { custodyService } from '#modules/dossier/index'
import type { ChildFacts, FamilyFacts } from '#modules/billing/services/invoice_lines'
import type { Regime } from '#modules/billing/services/tariff_engine'

/** A family as its invoice needs it: what prices its days, its children, and the name and address printed. */
export interface InvoicedHousehold {
  facts: FamilyFacts
  children: ChildFacts[]
  name: string
  address: string | null
}

interface FamilyRow {
  id: number
  reference: string
  familyQuotient: number | null
  resident: boolean
  regime: Regime
  address: string | null
  postalCode: string | null
  city: string | null
}

interface GuardianRow {
  firstName: string
  lastName: string
  position: number
}

function familyLabel(guardians: GuardianRow[], family: FamilyRow) {
  const first = [...guardians].sort((a, b) => a.position - b.position)
  if (!first.length) return `Famille ${family.reference}`
  return first.map((guardian) => `${guardian.firstName} ${guardian.lastName.toLocaleUpperCase('fr-FR')}`).join(' et ')
}

function addressOf(family: FamilyRow) {
  return [family.address, [family.postalCode, family.city].filter(Boolean).join(' ')].filter(Boolean).join('\n') || null
}

/** The households of some families, by id (a family not found is not in the map). */
export async function readHouseholds(ids: number[]): Promise<Map<number, InvoicedHousehold>> {
  // Plain rows rather than models: a run reads thousands of families.
  const families: FamilyRow[] = []
  for (const row of await db
    .from('families')
    .whereIn('id', ids)
    .select('id', 'reference', 'family_quotient', 'resident', 'regime', 'address', 'postal_code', 'city')) {
    families.push({
      id: Number(row.id),
      reference: row.reference,
      familyQuotient: row.family_quotient === null ? null : Number(row.family_quotient),
      resident: Boolean(row.resident),
      regime: row.regime,
      address: row.address,
      postalCode: row.postal_code,
      city: row.city,
    })
  }
  const childrenByFamily = new Map<number, ChildFacts[]>()
  for (const row of await db.from('children').whereIn('family_id', ids).select('id', 'family_id', 'first_name', 'birth_date')) {
    const list = childrenByFamily.get(Number(row.family_id)) ?? []
    list.push({ id: Number(row.id), firstName: row.first_name, birthDate: row.birth_date })
    childrenByFamily.set(Number(row.family_id), list)
  }
  // Shared custody: a child of another family is billed here for the days this household booked.
  for (const [familyId, shared] of await custodyService.childrenSharedWith(ids)) {
    const list = childrenByFamily.get(familyId) ?? []
    for (const child of shared) list.push({ id: child.id, firstName: child.firstName, birthDate: child.birthDate })
    childrenByFamily.set(familyId, list)
  }
  const guardiansByFamily = new Map<number, GuardianRow[]>()
  for (const row of await db.from('guardians').whereIn('family_id', ids).select('family_id', 'first_name', 'last_name', 'position')) {
    const list = guardiansByFamily.get(Number(row.family_id)) ?? []
    list.push({ firstName: row.first_name, lastName: row.last_name, position: Number(row.position) })
    guardiansByFamily.set(Number(row.family_id), list)
  }
  const households = new Map<number, InvoicedHousehold>()
  for (const family of families) {
    households.set(family.id, {
      facts: { id: family.id, familyQuotient: family.familyQuotient, resident: family.resident, regime: family.regime },
      children: childrenByFamily.get(family.id) ?? [],
      name: familyLabel(guardiansByFamily.get(family.id) ?? [], family),
      address: addressOf(family),
    })
  }
  return households
}
