import { SessionLucidUserProvider } from '@adonisjs/auth/session'
import type { LucidAuthenticatable, SessionLucidUserProviderOptions } from '@adonisjs/auth/types/session'

type DirectRead = typeof import('#core/direct_sql').directRead
let directRead: DirectRead | undefined

/**
 * The session guard's users, as @adonisjs/auth's Lucid provider gives them, except that the
 * signed-in user of every request is read by one statement written once for the driver
 * (#core/direct_sql) and hydrated as the same model, instead of `Model.find` building and
 * compiling its query each time.
 */
export class SessionUserProvider<Model extends LucidAuthenticatable> extends SessionLucidUserProvider<Model> {
  async findById(identifier: string | number) {
    const model = await this.getModel()
    // Imported when first used: config/auth.ts, which makes this provider, is read before the database service exists.
    directRead ??= (await import('#core/direct_sql')).directRead
    const [row] = await directRead(`select * from ${model.table} where ${model.$keys.attributesToColumns.get(model.primaryKey)} = ? limit 1`, [identifier])
    const user = row ? (model.$createFromAdapterResult(row) as InstanceType<Model> | null) : null
    return user ? this.createUserForGuard(user) : null
  }
}

export function sessionUserProvider<Model extends LucidAuthenticatable>(options: SessionLucidUserProviderOptions<Model>) {
  return new SessionUserProvider(options)
}
