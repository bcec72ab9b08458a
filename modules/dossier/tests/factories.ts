/* The family factory every suite builds on (tests/helpers/factories.ts lists them all). */
import type { ModelAttributes } from '@adonisjs/lucid/types/model'
import type { User } from '#modules/accounts/index'
import Family from '#modules/dossier/models/family'
import Guardian from '#modules/dossier/models/guardian'
import Child from '#modules/dossier/models/child'
import { createUser } from '#tests/helpers/users'

let sequence = 0

/** Unique enough for references, names and addresses within one test run. */
export function uniqueSuffix() {
  sequence += 1
  return `${Date.now().toString(36)}${sequence}`
}

export type GuardianSpec = Partial<ModelAttributes<Guardian>> & {
  /** Its parent account: this one, none (null), or by default a new one made with `account`. */
  user?: User | null
  account?: Partial<ModelAttributes<User>>
}

export interface FamilySpec {
  /** The surname of guardians and children that do not give their own (default Martin). */
  lastName?: string
  family?: Partial<ModelAttributes<Family>>
  /** Default: one guardian with a new parent account. */
  guardians?: GuardianSpec[]
  /** Default: Lya, born 2018-05-10. */
  children?: Partial<ModelAttributes<Child>>[]
}

/**
 * A family file as the service keeps it: guardians 1, 2… (each with a parent account unless
 * told otherwise, its e-mail the account's) and children. `user` is guardian 1's account.
 */
export async function createFamily(spec: FamilySpec = {}) {
  const suffix = uniqueSuffix()
  const lastName = spec.lastName ?? 'Martin'
  const family = await Family.create({ reference: `F-${suffix}`, regime: 'CAF', resident: true, ...spec.family })
  const users: User[] = []
  const guardians: Guardian[] = []
  for (const [index, { user: given, account, ...attributes }] of (spec.guardians ?? [{}]).entries()) {
    const user = given === undefined ? await createUser('parent', account) : given
    if (user) users.push(user)
    guardians.push(
      await Guardian.create({
        familyId: family.id,
        position: index + 1,
        lastName,
        firstName: 'Claire',
        email: user?.email ?? null,
        userId: user?.id ?? null,
        ...attributes,
      })
    )
  }
  const children: Child[] = []
  for (const [index, attributes] of (spec.children ?? [{}]).entries()) {
    children.push(
      await Child.create({
        familyId: family.id,
        reference: `E-${suffix}-${index}`,
        lastName,
        firstName: 'Lya',
        birthDate: '2018-05-10',
        dietNeeds: [],
        pai: false,
        vaccinationsUpToDate: true,
        imageRights: false,
        ...attributes,
      })
    )
  }
  return { family, user: users[0], users, guardian: guardians[0], guardians, child: children[0], children }
}
