/*
 * The staff’s family search at a commune’s size, against what it replaced, in one process (not a
 * scenario of `npm run bench`: its name starts with _):
 *   SQLITE_PATH=tmp/search.sqlite3 node ace migration:run --force
 *   SQLITE_PATH=tmp/search.sqlite3 node --import=ts-node-maintained/register/esm modules/dossier/bench/_family_search.ts
 * An empty database is given the import bench's 20,000 families first (`node ace families:import`).
 * Prints the first refresh of the folded texts, then each term's search (its count and its first
 * page of 25), by the folded column and by the former query (lower() of three tables' names, row
 * by row).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { startConsoleApp } from '../../../bench/console_app.js'
import { generateFamilies } from './import.js'

const FAMILIES = 20_000

await startConsoleApp()
const { default: db } = await import('@adonisjs/lucid/services/db')
const { default: Family } = await import('#modules/dossier/models/family')
const { default: familySearch } = await import('#modules/dossier/services/family_search')

function formerSearch(term: string) {
  const like = `%${term.toLowerCase().replace(/[%_\\]/g, (char) => '\\' + char)}%`
  const names = (table: string, third: string) =>
    db
      .from(table)
      .select('family_id')
      .whereRaw("lower(last_name || ' ' || first_name) like ? escape '\\'", [like])
      .orWhereRaw("lower(first_name || ' ' || last_name) like ? escape '\\'", [like])
      .orWhereRaw(`lower(${third}) like ? escape '\\'`, [like])
  return Family.query().where((where) =>
    where
      .whereRaw("lower(families.reference) like ? escape '\\'", [like])
      .orWhereRaw("lower(coalesce(families.email, '')) like ? escape '\\'", [like])
      .orWhereIn('families.id', names('guardians', "coalesce(email, '')"))
      .orWhereIn('families.id', names('children', 'reference'))
  )
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now()
  const result = await work()
  return [result, Math.round((performance.now() - started) * 10) / 10]
}

if (!(await db.from('families').count('* as total').first())?.total) {
  mkdirSync('tmp', { recursive: true })
  writeFileSync('tmp/search-families.csv', generateFamilies(FAMILIES).text)
  execFileSync(process.execPath, ['ace', 'families:import', 'tmp/search-families.csv'], { stdio: 'inherit' })
}

const [written, refreshMs] = await timed(() => familySearch.refresh())
console.log(`first refresh: ${written} families in ${refreshMs} ms`)
for (const term of ['lea', 'Noé Nom77', 'nom1234', 'zzz', 'B000123']) {
  for (let round = 0; round < 3; round++) {
    const [folded, foldedMs] = await timed(async () => {
      await familySearch.refresh()
      return familySearch.matching(Family.query(), term).orderBy('reference').paginate(1, 25)
    })
    const [former, formerMs] = await timed(() => formerSearch(term).orderBy('reference').paginate(1, 25))
    console.log(`${term}: folded ${folded.total} in ${foldedMs} ms, former ${former.total} in ${formerMs} ms (${Math.round((formerMs / foldedMs) * 10) / 10}×)`)
  }
}
await db.manager.closeAll()
