import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'

export interface SweptRoute {
  method: string
  pattern: string
  name?: string
  params: string[]
  middleware: string[]
}

/** Every route of the router, one entry per method (HEAD left out), with its named middleware. */
export function allRoutes(): SweptRoute[] {
  const byDomain = router.toJSON() as Record<string, any[]>
  return Object.values(byDomain)
    .flat()
    .flatMap((route) => {
      const middleware = [...route.middleware.all()].map((m: any) => m.name).filter(Boolean)
      const params = [...route.pattern.matchAll(/:([A-Za-z_]+)/g)].map((m: RegExpMatchArray) => m[1])
      return route.methods
        .filter((method: string) => method !== 'HEAD')
        .map((method: string) => ({ method, pattern: route.pattern, name: route.name, params, middleware }))
    })
}

/** Fills the route's parameters with one value (an id, a slug...). */
export function fillPattern(pattern: string, value: string | number): string {
  return pattern.replace(/:([A-Za-z_]+)\??/g, String(value)).replace(/\*$/, String(value))
}

/** Edge syntax printed as text: a tag, a mustache or an @end left in what a person reads. */
export const TEMPLATE_LEFTOVER = /@!?[a-zA-Z.]+\(|@end\b|\{\{|\}\}/

/** What a person reads of an HTML page: the text outside tags, scripts and styles. */
export function readableText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#123;|&lbrace;/g, '{')
    .replace(/&#125;|&rbrace;/g, '}')
    .replace(/&#64;|&commat;/g, '@')
}

const IGNORED_TABLES = new Set(['sessions', 'rate_limits', 'audit_logs', 'remember_me_tokens', 'adonis_schema', 'adonis_schema_versions'])

/** Table names, read through the global test transaction (SQLite has a single connection). */
export async function tableNames(): Promise<string[]> {
  const sqlite = db.connection().dialect.name.includes('sqlite')
  const result = await db.rawQuery(
    sqlite
      ? "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'"
      : "select tablename as name from pg_tables where schemaname = 'public'"
  )
  const rows = sqlite ? result : result.rows
  return rows.map((row: { name: string }) => row.name).sort()
}

/** Every row of every table (but technical ones), to prove that refused requests changed nothing. */
export async function snapshotData(excludeFamilyId?: number): Promise<Record<string, unknown[]>> {
  const tables = (await tableNames()).filter((t) => !IGNORED_TABLES.has(t))
  const snapshot: Record<string, unknown[]> = {}
  for (const table of tables) {
    const rows = await db.from(table).select('*')
    snapshot[table] = rows
      .filter((row: any) => excludeFamilyId === undefined || row.family_id !== excludeFamilyId)
      .map((row: any) => JSON.stringify(row))
      .sort()
  }
  return snapshot
}
