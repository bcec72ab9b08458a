import { existsSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/*
 * Where configuration and data live, the same whether the portal runs from its sources
 * (`npm start`, `node ace`) or from the compiled `build/` (`node build/bin/server.js`):
 * never inside build/, which every `node ace build` deletes and recreates.
 *
 * - the project root is the folder holding the sources (adonisrc.ts); run from the build,
 *   it is the folder holding build/. The .env is read there (or in ENV_PATH, AdonisJS's own).
 * - the data folder is PORTAL_DATA_DIR when set (e.g. /var/lib/portail-famille), otherwise
 *   the project root; SQLITE_PATH, STORAGE_PATH and MAIL_OUTBOX_PATH override one path each,
 *   a relative one being read from the project root.
 */

type PathVariable = 'PORTAL_DATA_DIR' | 'SQLITE_PATH' | 'STORAGE_PATH' | 'MAIL_OUTBOX_PATH'
/** Reads one variable: the app's `env.get` (which knows the .env file), or process.env. */
type EnvReader = (name: PathVariable) => string | undefined

function toPath(folder: URL | string) {
  return typeof folder === 'string' ? folder : fileURLToPath(folder)
}

/** The project root for an application root (the sources' folder, or build/ inside it). */
export function projectRoot(appRoot: URL | string) {
  const root = resolve(toPath(appRoot))
  if (existsSync(join(root, 'adonisrc.ts'))) return root
  return basename(root) === 'build' ? dirname(root) : root
}

export interface DataPaths {
  /** The folder of the .env file. */
  envFolder: string
  sqlite: string
  storage: string
  outbox: string
}

/** Every path of configuration and data, from the application root and the environment. */
export function dataPaths(appRoot: URL | string, read: EnvReader = (name) => process.env[name]): DataPaths {
  const root = projectRoot(appRoot)
  const fromRoot = (path: string) => (isAbsolute(path) ? path : resolve(root, path))
  const dataDir = read('PORTAL_DATA_DIR') ? fromRoot(read('PORTAL_DATA_DIR')!) : undefined
  const orDefault = (value: string | undefined, inDataDir: string, inRoot: string) =>
    fromRoot(value || (dataDir ? join(dataDir, inDataDir) : inRoot))
  return {
    envFolder: process.env.ENV_PATH ? fromRoot(process.env.ENV_PATH) : root,
    sqlite: orDefault(read('SQLITE_PATH'), 'portail.sqlite3', 'tmp/portail.sqlite3'),
    storage: orDefault(read('STORAGE_PATH'), 'storage', 'storage'),
    outbox: orDefault(read('MAIL_OUTBOX_PATH'), 'outbox', 'tmp/outbox'),
  }
}
