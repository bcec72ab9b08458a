import { createHash, randomBytes } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import { Disk } from '@adonisjs/drive'
import { FSDriver } from '@adonisjs/drive/drivers/fs'
import { MigrationRunner } from '@adonisjs/lucid/migration'
import env from '#start/env'
import communeSettings from '#services/commune_settings'
import { BackupError, databaseKind, rowCounts } from '#services/backup_database'
import { backupPortal, listKeys } from '#services/portal_backup'
import { restorePortal } from '#services/portal_restore'
import { readTar, TarWriter } from '#core/tar_archive'
import { recreatePostgresDatabase } from '#tests/helpers/database'
import { createArticle, createFamily, familyWithInvoice, useColomars } from '#tests/helpers/factories'

/*
 * portal:backup then portal:restore, on the connection the suite runs on (SQLite, or PostgreSQL
 * with DB_CONNECTION=pg). The commune is built in a database of its own, made the default
 * connection for the group, so that its data is committed (a backup reads committed data only)
 * without touching the suite's database; its files go to Drive's fake disk.
 */

const SOURCE = 'sauvegarde_source'
const run = `${process.pid}_${Date.now().toString(36)}`
const workDir = app.tmpPath()
const archive = app.tmpPath(`sauvegarde-${run}.tar.gz`)
const made: string[] = [archive]
const connections: string[] = []
const pgDatabases: string[] = []

/** A new empty database on the suite's kind of connection, registered under `name`. */
async function addConnection(name: string) {
  const base = db.manager.get(db.primaryConnectionName)!.config
  if (databaseKind(db.primaryConnectionName) === 'sqlite') {
    const filename = app.tmpPath(`${name}-${run}.sqlite3`)
    made.push(filename, `${filename}-wal`, `${filename}-shm`)
    db.manager.add(name, { ...base, connection: { filename } } as typeof base)
  } else {
    const database = `${env.get('DB_DATABASE', 'portail_famille_test')}_${name}`
    await recreatePostgresDatabase(database)
    pgDatabases.push(database)
    db.manager.add(name, { ...base, connection: { ...(base.connection as object), database } } as typeof base)
  }
  db.manager.connect(name)
  connections.push(name)
}

function diskAt(folder: string) {
  made.push(folder)
  return new Disk(new FSDriver({ location: folder, visibility: 'private' }))
}

async function fileHashes(disk: Disk) {
  const hashes: Record<string, string> = {}
  for (const key of await listKeys(disk)) hashes[key] = createHash('sha256').update(await disk.getBytes(key)).digest('hex')
  return hashes
}

const kind = () => databaseKind(SOURCE)

test.group('portal:backup and portal:restore', (group) => {
  let primary = ''

  group.setup(async () => {
    await addConnection(SOURCE)
    const migrator = new MigrationRunner(db, app, { direction: 'up', connectionName: SOURCE })
    await migrator.run()
    if (migrator.error) throw migrator.error
    primary = db.primaryConnectionName
    // Lucid's models and commands take the default connection at each query.
    ;(db as { primaryConnectionName: string }).primaryConnectionName = SOURCE
    drive.fake()
    communeSettings.invalidate()
    ace.ui.switchMode('raw')

    await useColomars()
    await createFamily({ lastName: 'Lefèvre', children: [{ firstName: 'Inès' }, { firstName: 'Noé' }] })
    await familyWithInvoice(3)
    await createArticle()
    const disk = drive.use()
    await disk.put('families/1/justificatif-domicile.pdf', Buffer.from('%PDF-1.4 justificatif\n%%EOF\n'))
    await disk.put('messaging/1/attestation.pdf', Buffer.from('%PDF-1.4 attestation\n%%EOF\n'))
    await disk.put(`news/documents/${'menu-de-la-cantine-'.repeat(8)}.pdf`, randomBytes(300_000))

    return async () => {
      ;(db as { primaryConnectionName: string }).primaryConnectionName = primary
      drive.restore()
      ace.ui.switchMode('normal')
      communeSettings.invalidate()
      for (const name of connections) await db.manager.close(name, true)
      for (const path of made) await rm(path, { recursive: true, force: true })
      for (const database of pgDatabases) await recreatePostgresDatabase(database, false)
    }
  })

  test('the round trip gives the same rows in every table and the same files', async ({ assert }) => {
    const manifest = await backupPortal({ connectionName: SOURCE, disk: drive.use(), archivePath: archive, workDir })
    assert.equal(manifest.database.kind, env.get('DB_CONNECTION', 'sqlite') === 'pg' ? 'pg' : 'sqlite')
    assert.equal(manifest.database.tables.families, 2)
    assert.lengthOf(manifest.files, 3)

    await addConnection('sauvegarde_cible')
    const target = diskAt(app.tmpPath(`sauvegarde-cible-${run}`))
    const report = await restorePortal({ connectionName: 'sauvegarde_cible', disk: target, archivePath: archive, workDir })
    assert.equal(report.files, 3)

    const before = await rowCounts(db.connection(SOURCE), kind())
    assert.isAbove(Object.keys(before).length, 20)
    assert.deepEqual(await rowCounts(db.connection('sauvegarde_cible'), kind()), before)
    assert.deepEqual(await fileHashes(target), await fileHashes(drive.use()))
    const [family] = await db.connection('sauvegarde_cible').from('families').join('guardians', 'guardians.family_id', 'families.id').where('guardians.last_name', 'Lefèvre')
    assert.exists(family, 'the accented name came back as it was')
  })

  test('portal:restore refuses a database that holds families, and writes nothing', async ({ assert }) => {
    const before = await rowCounts(db.connection(SOURCE), kind())
    const command = await ace.exec('portal:restore', [archive])
    assert.equal(command.exitCode, 1)
    const output = command.logger.getLogs().map((log) => log.message).join('\n')
    assert.match(output, /La base cible contient déjà 2 familles : la restauration se fait dans une installation vide \(ajoutez --force pour la remplacer\), rien n'a été restauré\./)
    assert.notMatch(output, /\n\s+at /)
    assert.deepEqual(await rowCounts(db.connection(SOURCE), kind()), before)
  })

  test('portal:backup writes the archive the command line way, and never over another', async ({ assert }) => {
    const second = app.tmpPath(`sauvegarde-commande-${run}.tar.gz`)
    made.push(second)
    const command = await ace.exec('portal:backup', [second])
    assert.equal(command.exitCode, 0, command.logger.getLogs().map((log) => log.message).join('\n'))
    const again = await ace.exec('portal:backup', [second])
    assert.equal(again.exitCode, 1)
    assert.match(again.logger.getLogs().map((log) => log.message).join('\n'), /existe déjà : choisissez un autre nom/)
  })

  test('an unknown or altered archive is refused before anything is written', async ({ assert }) => {
    const junk = app.tmpPath(`sauvegarde-illisible-${run}.tar.gz`)
    made.push(junk)
    await writeFile(junk, randomBytes(4000))
    const command = await ace.exec('portal:restore', [junk, '--force'])
    assert.equal(command.exitCode, 1)
    assert.match(command.logger.getLogs().map((log) => log.message).join('\n'), /n'est pas une sauvegarde du portail utilisable : ce n'est pas une archive tar\.gz, rien n'a été restauré\./)

    // The same archive with one byte of one file changed: its manifest no longer matches.
    const altered = app.tmpPath(`sauvegarde-alteree-${run}.tar.gz`)
    made.push(altered)
    const writer = new TarWriter(altered)
    for await (const entry of readTar(archive)) {
      const chunks: Buffer[] = []
      for await (const chunk of entry.content) chunks.push(chunk)
      const bytes = Buffer.concat(chunks)
      if (entry.name.endsWith('attestation.pdf')) bytes[0] ^= 1
      await writer.add(entry.name, bytes.length, bytes)
    }
    await writer.close()
    await addConnection('sauvegarde_vide')
    const target = diskAt(app.tmpPath(`sauvegarde-vide-${run}`))
    await assert.rejects(
      () => restorePortal({ connectionName: 'sauvegarde_vide', disk: target, archivePath: altered, workDir }),
      BackupError,
      /« messaging\/1\/attestation\.pdf » est altéré \(taille ou empreinte différente du manifeste\), rien n'a été restauré\./
    )
    assert.deepEqual(await listKeys(target), [])
    assert.notInclude(Object.keys(await rowCounts(db.connection('sauvegarde_vide'), kind())), 'families')
  })
})
