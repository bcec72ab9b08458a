import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { directRead, listOf } from '#core/direct_sql'

/*
 * What the database holds for the families of a batch, read in three set-based queries
 * (families by reference, then their guardians and children), whatever the batch size: each
 * list is one binding (`listOf`), one statement whatever its length.
 */

export interface ExistingGuardian {
  id: number
  position: number
  civility: string | null
  lastName: string
  firstName: string
  email: string | null
  phone: string | null
  userId: number | null
}

export interface ExistingChild {
  id: number
  reference: string
  lastName: string
  firstName: string
  birthDate: string
  sex: string | null
  school: string | null
  classLevel: string | null
}

export interface ExistingFamily {
  id: number
  reference: string
  address: string | null
  postalCode: string | null
  city: string | null
  familyQuotient: number | null
  quotientSource: string | null
  regime: string
  guardians: ExistingGuardian[]
  children: ExistingChild[]
}

export async function loadExistingFamilies(client: QueryClientContract, references: string[]): Promise<Map<string, ExistingFamily>> {
  const byId = new Map<number, ExistingFamily>()
  const families = await directRead(
    'select id, reference, address, postal_code, city, family_quotient, quotient_source, regime from families where reference in (?)',
    [listOf(references)],
    client
  )
  for (const row of families) {
    byId.set(Number(row.id), {
      id: Number(row.id),
      reference: row.reference,
      address: row.address,
      postalCode: row.postal_code,
      city: row.city,
      familyQuotient: row.family_quotient,
      quotientSource: row.quotient_source,
      regime: row.regime,
      guardians: [],
      children: [],
    })
  }
  if (!byId.size) return new Map()
  const familyIds = listOf([...byId.keys()])
  const guardians = await directRead(
    'select id, family_id, position, civility, last_name, first_name, email, phone, user_id from guardians where family_id in (?)',
    [familyIds],
    client
  )
  for (const row of guardians) {
    byId.get(Number(row.family_id))!.guardians.push({
      id: Number(row.id),
      position: row.position,
      civility: row.civility,
      lastName: row.last_name,
      firstName: row.first_name,
      email: row.email,
      phone: row.phone,
      userId: row.user_id,
    })
  }
  const children = await directRead(
    'select id, family_id, reference, last_name, first_name, birth_date, sex, school, class_level from children where family_id in (?)',
    [familyIds],
    client
  )
  for (const row of children) {
    byId.get(Number(row.family_id))!.children.push({
      id: Number(row.id),
      reference: row.reference,
      lastName: row.last_name,
      firstName: row.first_name,
      birthDate: row.birth_date,
      sex: row.sex,
      school: row.school,
      classLevel: row.class_level,
    })
  }
  return new Map([...byId.values()].map((family) => [family.reference, family]))
}
