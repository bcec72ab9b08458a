/**
 * The count of the writes a page shown to families depends on, by scope: 'family:<id>' (what one
 * family's pages show of it: its children, registrations, custody, bookings…) and 'catalogue'
 * (what every family's pages show alike: activities, rules, holidays, closures).
 *
 * Each table a page reads feeds it by database triggers (`changeTriggerStatements`, in the
 * table's own migration): every writer — the portal, a command, a cron, another app process, a
 * cascade — counts, and none can forget to. #core/page_changes reads and folds the counts.
 */
export const PAGE_CHANGES_TABLE = 'page_changes'

export const CATALOGUE_SCOPE = 'catalogue'

export function familyScope(familyId: number) {
  return `family:${familyId}`
}

/**
 * One scope a row's write counts for: a `select` of scope texts, where `{row}` is the written row
 * (NEW, or OLD for what an update or a delete took away).
 */
export type ScopeSelect = string

/** The row's family (a `family_id` column). */
export const OWN_FAMILY: ScopeSelect = "select 'family:' || {row}.family_id"
/** The same for every family. */
export const CATALOGUE: ScopeSelect = "select 'catalogue'"

function triggerName(table: string, event: string) {
  return `${table}_page_changes${event ? `_${event}` : ''}`
}

function inserts(scopes: ScopeSelect[], row: 'NEW' | 'OLD') {
  return scopes.map((scope) => `INSERT INTO ${PAGE_CHANGES_TABLE} (scope) ${scope.replaceAll('{row}', row)};`).join(' ')
}

/**
 * The statements that make every write to `table` count in `scopes` (a migration's up).
 * `columns`: an update counts only when it sets one of them (a counter the pages do not show).
 */
export function changeTriggerStatements(dialect: string, table: string, scopes: ScopeSelect[], columns: string[] = []): string[] {
  const updateOf = columns.length ? `UPDATE OF ${columns.join(', ')}` : 'UPDATE'
  if (dialect === 'postgres') {
    const fn = triggerName(table, '')
    return [
      `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ` +
        `IF TG_OP <> 'DELETE' THEN ${inserts(scopes, 'NEW')} END IF; ` +
        `IF TG_OP <> 'INSERT' THEN ${inserts(scopes, 'OLD')} END IF; ` +
        'RETURN NULL; END $$',
      `CREATE TRIGGER ${fn} AFTER INSERT OR DELETE OR ${updateOf} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    ]
  }
  return [
    `CREATE TRIGGER ${triggerName(table, 'insert')} AFTER INSERT ON ${table} BEGIN ${inserts(scopes, 'NEW')} END`,
    `CREATE TRIGGER ${triggerName(table, 'update')} AFTER ${updateOf} ON ${table} BEGIN ${inserts(scopes, 'NEW')} ${inserts(scopes, 'OLD')} END`,
    `CREATE TRIGGER ${triggerName(table, 'delete')} AFTER DELETE ON ${table} BEGIN ${inserts(scopes, 'OLD')} END`,
  ]
}

/** The statements that take them away (a migration's down). */
export function dropChangeTriggerStatements(dialect: string, table: string): string[] {
  if (dialect === 'postgres') {
    const fn = triggerName(table, '')
    return [`DROP TRIGGER IF EXISTS ${fn} ON ${table}`, `DROP FUNCTION IF EXISTS ${fn}()`]
  }
  return ['insert', 'update', 'delete'].map((event) => `DROP TRIGGER IF EXISTS ${triggerName(table, event)}`)
}

/** A table whose writes count: its scopes, and the columns an update counts for (all when none). */
export type CountedTable = [table: string, scopes: ScopeSelect[], columns?: string[]]

type Migration = { db: { dialect: { name: string } }; schema: { raw(sql: string): unknown } }

/** A migration's up: the triggers of these tables. */
export function addChangeTriggers(migration: Migration, tables: CountedTable[]) {
  for (const [table, scopes, columns] of tables) {
    for (const sql of changeTriggerStatements(migration.db.dialect.name, table, scopes, columns)) migration.schema.raw(sql)
  }
}

/** The same migration's down. */
export function dropChangeTriggers(migration: Migration, tables: CountedTable[]) {
  for (const [table] of tables) {
    for (const sql of dropChangeTriggerStatements(migration.db.dialect.name, table)) migration.schema.raw(sql)
  }
}
