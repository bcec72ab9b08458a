/** Past this page every list is empty anyway; the cap keeps the SQL offset a small integer. */
const LAST_PAGE = 100_000

/** The `?page=` of a list: a whole number from 1; anything else (empty, 0, -1, abc, 1.5) is page 1. */
export function pageNumber(value: unknown): number {
  const page = Number(value)
  return Number.isSafeInteger(page) && page >= 1 ? Math.min(page, LAST_PAGE) : 1
}
