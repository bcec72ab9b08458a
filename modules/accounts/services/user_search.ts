import { directRead, listOf } from '#core/direct_sql'
import { FoldedSearch } from '#core/folded_search'

/**
 * The staff's account search (Gestion > Comptes): full name, username and email, without accents
 * or case (#core/folded_search), in `users.search_text`.
 */
const userSearch = new FoldedSearch('users', async (ids, trx) => {
  const users = await directRead<{ id: number | string; full_name: string; username: string; email: string | null }>(
    'select id, full_name, username, email from users where id in (?)',
    [listOf(ids)],
    trx
  )
  return new Map(users.map((user) => [Number(user.id), [user.full_name, user.username, user.email]]))
})

export default userSearch
