/** A list cut in pieces of `size` (the last one shorter): for `whereIn` lists and multi-row inserts. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size))
  return out
}
