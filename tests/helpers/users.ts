import User, { type UserRole } from '#modules/accounts/models/user'

let sequence = 0

/** An active account for tests; a parent with a family file is dossier's createFamily (tests/helpers/factories.ts). */
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
