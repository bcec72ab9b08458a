/** A list cut in pieces of `size` (the last one shorter): for `whereIn` lists and multi-row inserts. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size))
  return out
}

/**
 * Rows loaded by slices of ids, in the ids' order, the event loop given back between two slices:
 * a list of 20,000 models built in one go (a staff export) holds every other request of the
 * server for half a second. The ids, read first, fix what the list holds.
 */
export async function loadInSlices<T>(ids: number[], load: (slice: number[]) => Promise<T[]>, idOf: (row: T) => number, size = 1000): Promise<T[]> {
  const byId = new Map<number, T>()
  for (const slice of chunks(ids, size)) {
    for (const row of await load(slice)) byId.set(idOf(row), row)
    await new Promise((resolve) => setImmediate(resolve))
  }
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []))
}

/** The items grouped by a key, each group in the items' order (each list grows in place: 10,000 items of one key stay linear). */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const grouped = new Map<K, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const list = grouped.get(key)
    if (list) list.push(item)
    else grouped.set(key, [item])
  }
  return grouped
}
