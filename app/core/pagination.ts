/** Past this page every list is empty anyway; the cap keeps the SQL offset a small integer. */
const LAST_PAGE = 100_000

/** The `?page=` of a list: a whole number from 1; anything else (empty, 0, -1, abc, 1.5) is page 1. */
export function pageNumber(value: unknown): number {
  const page = Number(value)
  return Number.isSafeInteger(page) && page >= 1 ? Math.min(page, LAST_PAGE) : 1
}

/**
 * One page of a list already in memory (rows sorted by a rule the database cannot apply), with
 * the meta the pagination component reads: a page shows `perPage` rows of a list of 20,000.
 */
export function pageOf<T>(rows: T[], page: number, perPage: number) {
  const lastPage = Math.max(1, Math.ceil(rows.length / perPage))
  const currentPage = Math.min(page, lastPage)
  return { rows: rows.slice((currentPage - 1) * perPage, currentPage * perPage), meta: { currentPage, lastPage, total: rows.length, perPage } }
}
