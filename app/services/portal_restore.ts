import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Disk } from '@adonisjs/drive'
import db from '@adonisjs/lucid/services/db'
import { readTar, TarFormatError } from '#core/tar_archive'
import { BackupError, databaseKind, familyCount, loadDatabase, rowCounts } from '#services/backup_database'
import { BACKUP_FORMAT, BACKUP_VERSION, FILES_PREFIX, MANIFEST_ENTRY, databaseEntry, type BackupManifest } from '#services/portal_backup'

/**
 * `portal:restore`: checks the whole archive against its manifest before writing anything,
 * refuses a database that already holds families (unless forced), puts the database and the
 * files back, then checks the row counts and the files against the manifest again.
 */

interface Staged {
  file: string
  size: number
  sha256: string
}

export interface RestoreReport {
  manifest: BackupManifest
  tables: number
  rows: number
  files: number
}

const KIND_NAMES = { sqlite: 'SQLite', pg: 'PostgreSQL' }

/** A file key as the portal writes them: relative, no "..", no odd characters. */
function safeKey(key: string) {
  return key.length > 0 && key.length < 1024 && !/[\0\\]/.test(key) && key.split('/').every((part) => part !== '' && part !== '.' && part !== '..')
}

async function sha256Of(stream: AsyncIterable<Buffer>) {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of stream) {
    hash.update(chunk)
    size += chunk.length
  }
  return { sha256: hash.digest('hex'), size }
}

/** Every entry of the archive into `staging`, with its size and hash; the manifest parsed. */
async function unpack(archivePath: string, staging: string) {
  const staged = new Map<string, Staged>()
  let manifest: unknown = null
  for await (const entry of readTar(archivePath)) {
    if (entry.name === MANIFEST_ENTRY) {
      if (entry.size > 64 * 1024 * 1024) throw new TarFormatError('manifeste démesuré')
      const chunks: Buffer[] = []
      for await (const chunk of entry.content) chunks.push(chunk)
      try {
        manifest = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        throw new TarFormatError('manifeste illisible')
      }
      continue
    }
    const isFile = entry.name.startsWith(FILES_PREFIX) && safeKey(entry.name.slice(FILES_PREFIX.length))
    if (!isFile && !/^base\/portail\.(sqlite3|pgdump)$/.test(entry.name)) throw new TarFormatError(`élément inattendu « ${entry.name} »`)
    const file = join(staging, String(staged.size))
    const hash = createHash('sha256')
    await pipeline(
      entry.content,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk)
          yield chunk
        }
      },
      createWriteStream(file, { mode: 0o600 })
    )
    staged.set(entry.name, { file, size: entry.size, sha256: hash.digest('hex') })
  }
  return { staged, manifest }
}

function checkManifest(manifest: any, staged: Map<string, Staged>): BackupManifest {
  if (!manifest || manifest.format !== BACKUP_FORMAT) throw new TarFormatError('pas de manifeste de sauvegarde du portail')
  if (manifest.version !== BACKUP_VERSION) throw new TarFormatError(`format de sauvegarde ${manifest.version} inconnu de cette version du portail (${BACKUP_VERSION})`)
  const database = manifest.database
  if (!database || !['sqlite', 'pg'].includes(database.kind) || database.path !== databaseEntry(database.kind) || typeof database.tables !== 'object') {
    throw new TarFormatError('manifeste incomplet')
  }
  const expected = [database, ...(Array.isArray(manifest.files) ? manifest.files : [])].map((item: any, index: number) => ({
    ...item,
    entry: index === 0 ? item.path : FILES_PREFIX + item.path,
  }))
  for (const item of expected) {
    const found = staged.get(item.entry)
    if (!found) throw new TarFormatError(`« ${item.path} » manque`)
    if (found.size !== item.size || found.sha256 !== item.sha256) throw new TarFormatError(`« ${item.path} » est altéré (taille ou empreinte différente du manifeste)`)
  }
  if (expected.length !== staged.size) throw new TarFormatError('elle contient des éléments que le manifeste ne cite pas')
  return manifest as BackupManifest
}

export async function restorePortal(options: {
  connectionName: string
  disk: Disk
  archivePath: string
  workDir: string
  force?: boolean
}): Promise<RestoreReport> {
  const { connectionName, disk, archivePath } = options
  if (!(await stat(archivePath).catch(() => null))?.isFile()) throw new BackupError(`Le fichier « ${archivePath} » est introuvable : rien n'a été restauré.`)
  const staging = await mkdtemp(join(options.workDir, 'restauration-'))
  try {
    let manifest: BackupManifest
    let staged: Map<string, Staged>
    try {
      const unpacked = await unpack(archivePath, staging)
      staged = unpacked.staged
      manifest = checkManifest(unpacked.manifest, staged)
    } catch (error) {
      if (!(error instanceof TarFormatError)) throw error
      throw new BackupError(`« ${archivePath} » n'est pas une sauvegarde du portail utilisable : ${error.message}, rien n'a été restauré.`)
    }

    const kind = databaseKind(connectionName)
    if (manifest.database.kind !== kind) {
      throw new BackupError(
        `Cette sauvegarde vient d'une base ${KIND_NAMES[manifest.database.kind]} et la base configurée est ${KIND_NAMES[kind]} : restaurez-la dans une installation du même type, rien n'a été restauré.`
      )
    }
    const families = await familyCount(connectionName)
    if (families > 0 && !options.force) {
      throw new BackupError(
        `La base cible contient déjà ${families} famille${families > 1 ? 's' : ''} : la restauration se fait dans une installation vide (ajoutez --force pour la remplacer), rien n'a été restauré.`
      )
    }

    await loadDatabase(connectionName, kind, staged.get(manifest.database.path)!.file)
    for (const item of manifest.files) {
      await disk.putStream(item.path, createReadStream(staged.get(FILES_PREFIX + item.path)!.file))
    }

    // Everything is read back from where it now lives, and compared with the manifest.
    const counts = await rowCounts(db.connection(connectionName), kind)
    for (const [table, expected] of Object.entries(manifest.database.tables)) {
      if (counts[table] !== expected) {
        throw new BackupError(`Après restauration, la table « ${table} » compte ${counts[table] ?? 0} lignes au lieu de ${expected} : vérifiez la base avant de démarrer le portail.`)
      }
    }
    for (const item of manifest.files) {
      const found = await sha256Of(await disk.getStream(item.path))
      if (found.sha256 !== item.sha256) {
        throw new BackupError(`Après restauration, le fichier « ${item.path} » diffère de la sauvegarde : vérifiez le stockage avant de démarrer le portail.`)
      }
    }
    return {
      manifest,
      tables: Object.keys(manifest.database.tables).length,
      rows: Object.values(manifest.database.tables).reduce((sum, count) => sum + count, 0),
      files: manifest.files.length,
    }
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}
