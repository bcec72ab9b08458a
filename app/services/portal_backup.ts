import { createReadStream } from 'node:fs'
import { mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FSDriver } from '@adonisjs/drive/drivers/fs'
import type { Disk } from '@adonisjs/drive'
import { TarWriter } from '#core/tar_archive'
import { BackupError, databaseKind, dumpDatabase, type DatabaseKind } from '#services/backup_database'

/**
 * `portal:backup`: the database and every private file (uploads, attachments, the logo) in one
 * tar.gz, with a manifest that lets `portal:restore` check it has everything back.
 */

export const BACKUP_FORMAT = 'portail-famille-sauvegarde'
export const BACKUP_VERSION = 1
export const MANIFEST_ENTRY = 'manifeste.json'
export const FILES_PREFIX = 'fichiers/'

export interface ArchivedFile {
  path: string
  size: number
  sha256: string
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT
  version: number
  createdAt: string
  database: ArchivedFile & { kind: DatabaseKind; tables: Record<string, number> }
  files: ArchivedFile[]
  /** Files of the storage that Drive refuses to read (names the portal never writes): not saved. */
  skipped?: string[]
}

export function databaseEntry(kind: DatabaseKind) {
  return kind === 'sqlite' ? 'base/portail.sqlite3' : 'base/portail.pgdump'
}

/**
 * Every key of the disk. A local disk is read directly (Drive's listing stops at the first name
 * it would refuse, a stray file there must not stop the backups); S3 lists page by page.
 */
export async function listKeys(disk: Disk): Promise<string[]> {
  const keys: string[] = []
  if (disk.driver instanceof FSDriver) {
    const root = disk.driver.options.location instanceof URL ? fileURLToPath(disk.driver.options.location) : disk.driver.options.location
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return []
      throw error
    })
    for (const entry of entries) if (entry.isFile()) keys.push(relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    return keys.sort()
  }
  let paginationToken: string | undefined
  do {
    let page
    try {
      page = await disk.listAll('', { recursive: true, paginationToken })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return keys
      throw error
    }
    for (const item of page.objects) if (item.isFile) keys.push(item.key)
    paginationToken = page.paginationToken
  } while (paginationToken)
  return keys.sort()
}

/**
 * Writes the archive at `archivePath` (refused when it exists): written beside it under a
 * temporary name, renamed once complete, so that a failed backup leaves no archive that looks whole.
 */
export async function backupPortal(options: { connectionName: string; disk: Disk; archivePath: string; workDir: string }): Promise<BackupManifest> {
  const { connectionName, disk, archivePath } = options
  const existing = await stat(archivePath).catch(() => null)
  if (existing?.isDirectory()) {
    throw new BackupError(`« ${archivePath} » est un dossier : donnez le nom du fichier à créer, par exemple ${join(archivePath, 'sauvegarde.tar.gz')}.`)
  }
  if (!(await stat(dirname(archivePath)).catch(() => null))?.isDirectory()) {
    throw new BackupError(`Le dossier « ${dirname(archivePath)} » n'existe pas : créez-le (droits réservés au compte du portail) puis recommencez.`)
  }
  if (existing) {
    throw new BackupError(`Le fichier « ${archivePath} » existe déjà : choisissez un autre nom, une sauvegarde n'en écrase jamais une autre.`)
  }
  const kind = databaseKind(connectionName)
  const work = await mkdtemp(join(options.workDir, 'sauvegarde-'))
  const partial = join(dirname(archivePath), `.${Date.now()}-${process.pid}.sauvegarde-partielle`)
  let writer: TarWriter | null = null
  try {
    const dump = join(work, 'base')
    const tables = await dumpDatabase(connectionName, dump)
    writer = new TarWriter(partial)
    const dumpSize = (await stat(dump)).size
    const databaseSha = await writer.add(databaseEntry(kind), dumpSize, createReadStream(dump))
    const files: ArchivedFile[] = []
    const skipped: string[] = []
    for (const key of await listKeys(disk)) {
      let size: number
      try {
        size = (await disk.getMetaData(key)).contentLength
      } catch (error) {
        if ((error as { code?: string }).code === 'E_UNALLOWED_CHARACTERS') {
          skipped.push(key)
          continue
        }
        // Deleted since the listing (the retention purge, a replaced image): nothing to keep.
        if (!(await disk.exists(key).catch(() => true))) continue
        throw error
      }
      const sha256 = await writer.add(FILES_PREFIX + key, size, await disk.getStream(key))
      files.push({ path: key, size, sha256 })
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      database: { kind, path: databaseEntry(kind), size: dumpSize, sha256: databaseSha, tables },
      files,
      ...(skipped.length ? { skipped } : {}),
    }
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8')
    await writer.add(MANIFEST_ENTRY, manifestBytes.length, manifestBytes)
    await writer.close()
    writer = null
    await rename(partial, archivePath)
    return manifest
  } catch (error) {
    writer?.abort()
    await rm(partial, { force: true })
    const { code, path } = error as NodeJS.ErrnoException
    if (code === 'ENOSPC' || (path === partial && code)) {
      throw new BackupError(`La sauvegarde n'a pas pu être écrite dans « ${archivePath} » (${code}) : vérifiez le dossier, ses droits et la place libre.`)
    }
    throw error
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}
