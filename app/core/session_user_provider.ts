import { SessionLucidUserProvider } from '@adonisjs/auth/session'
import type { LucidAuthenticatable, SessionLucidUserProviderOptions } from '@adonisjs/auth/types/session'
import { directModel } from '#core/direct_sql'

/**
 * The session guard's users, as @adonisjs/auth's Lucid provider gives them, except that the
 * signed-in user of every request is read by one statement written once for the driver
 * (#core/direct_sql) and hydrated as the same model, instead of `Model.find` building and
 * compiling its query each time.
 */
export class SessionUserProvider<Model extends LucidAuthenticatable> extends SessionLucidUserProvider<Model> {
  async findById(identifier: string | number) {
    const model = await this.getModel()
    const key = model.$keys.attributesToColumns.get(model.primaryKey)
    const user = await directModel(model, `select * from ${model.table} where ${key} = ? limit 1`, [identifier])
    return user ? this.createUserForGuard(user as InstanceType<Model>) : null
  }
}

export function sessionUserProvider<Model extends LucidAuthenticatable>(options: SessionLucidUserProviderOptions<Model>) {
  return new SessionUserProvider(options)
}
