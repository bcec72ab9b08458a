import User, { type UserRole } from '#modules/accounts/models/user'

let sequence = 0

/** An active account for tests; a family link is the dossier module's business. */
export async function createUser(role: UserRole = 'parent', overrides: Partial<User> = {}) {
  sequence += 1
  const suffix = `${Date.now().toString(36)}${sequence}`
  return User.create({
    username: `${role}-${suffix}`,
    email: `${role}-${suffix}@exemple.test`,
    fullName: `${role === 'parent' ? 'Parent' : 'Agent'} ${suffix}`,
    password: 'Un-Mot-De-Passe-Solide-2026',
    role,
    state: 'active',
    ...overrides,
  })
}

/** A parent account with a family file of its own (no children), as the dossier module links them. */
export async function createParentWithFamily(reference: string) {
  const { default: db } = await import('@adonisjs/lucid/services/db')
  const { dbTime } = await import('#core/db_time')
  const parent = await createUser('parent')
  const [inserted] = await db
    .table('families')
    .insert({ reference, address: '1 rue du Test', postal_code: '06000', city: 'Nice', created_at: dbTime(), updated_at: dbTime() })
    .returning('id')
  const familyId: number = typeof inserted === 'object' ? inserted.id : inserted
  await db.table('guardians').insert({
    family_id: familyId,
    position: 1,
    civility: 'Mme',
    last_name: 'Test',
    first_name: 'Tess',
    user_id: parent.id,
    created_at: dbTime(),
    updated_at: dbTime(),
  })
  return { parent, familyId }
}
