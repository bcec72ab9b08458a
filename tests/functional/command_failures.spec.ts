import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { APP_ROOT, runAce } from '#tests/helpers/processes'

/** One French sentence on stderr, no stack line, a non-zero exit (pipes: not a terminal, like cron). */
function assertOneSentence(assert: any, result: { status: number | null; stderr: string; stdout: string }, expected: RegExp) {
  const lines = result.stderr.trim().split('\n')
  assert.notEqual(result.status, 0, result.stderr)
  assert.lengthOf(lines, 1, result.stderr)
  assert.match(lines[0], expected)
  assert.notMatch(result.stderr + result.stdout, /^\s*at /m)
  assert.notMatch(result.stderr + result.stdout, /Exception|Error:/)
}

/** The SQLite cases run the command on SQLite, whichever database the suite itself uses. */
const onSqlite = (path: string) => ({ DB_CONNECTION: 'sqlite', SQLITE_PATH: path })

test.group('Ace command failures', (group) => {
  const empty = mkdtempSync(join(tmpdir(), 'portail-ace-'))
  group.teardown(() => rmSync(empty, { recursive: true, force: true }))

  test('before migrations, a command says to migrate', ({ assert }) => {
    const result = runAce(['accounts:purge-expired'], onSqlite(join(empty, 'never-migrated.sqlite3')))
    assertOneSentence(assert, result, /^La base de données n'est pas à jour \(table « \w+ » absente\) : lancez d'abord `node ace migration:run/)
  })

  test('a SQLITE_PATH that cannot be a folder is named', ({ assert }) => {
    const result = runAce(['accounts:purge-expired'], onSqlite('package.json/portail.sqlite3'))
    assertOneSentence(assert, result, /^Impossible d'utiliser « .*package\.json » .* : vérifiez SQLITE_PATH/)
  })

  test("a SQLITE_PATH that cannot be opened says so, without knex's warning and its stack", ({ assert }) => {
    const folder = join(empty, 'a-folder.sqlite3')
    mkdirSync(folder)
    const result = runAce(['accounts:purge-expired'], onSqlite(folder))
    assertOneSentence(assert, result, /^Impossible d'ouvrir la base SQLite : vérifiez que le dossier de SQLITE_PATH existe/)
    assert.equal(result.stdout, '')
  })

  test('a bad PORTAL_MODULES is named', ({ assert }) => {
    const result = runAce(['families:purge'], { PORTAL_MODULES: 'dossier,inconnu' })
    assertOneSentence(assert, result, /^Le portail ne peut pas démarrer : PORTAL_MODULES .*« inconnu »/)
  })

  test('an unknown option or command is told in French', ({ assert }) => {
    assertOneSentence(assert, runAce(['families:purge', '--nope']), /^Option inconnue --nope : /)
    assertOneSentence(assert, runAce(['nope:nope']), /^La commande « nope:nope » n'existe pas/)
  })

  test('without a .env (fresh clone), the command says what to do', ({ assert }) => {
    // ENV_PATH: an empty folder, so neither .env nor .env.test is found; nothing inherited from this process.
    const result = spawnSync(process.execPath, ['ace', 'accounts:purge-expired'], {
      cwd: APP_ROOT,
      env: { PATH: process.env.PATH, ENV_PATH: empty },
      encoding: 'utf8',
      timeout: 120_000,
    })
    assertOneSentence(assert, result, /^Configuration incomplète \(NODE_ENV, PORT, APP_KEY, HOST manquent\) : lancez une fois `npm start`/)
  })
})
