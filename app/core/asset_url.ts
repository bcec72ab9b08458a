import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

/*
 * Files of public/ named by their content: `asset('/css/portal.css')` in a view gives
 * `/css/portal.1a2b3c4d5e.css`, which the public files middleware serves from
 * public/css/portal.css with a year's cache (immutable): a new version of a file is a new URL,
 * so browsers never keep a stale stylesheet and never ask twice for the same one.
 */

const HASHED = /^(\/.+)\.([0-9a-f]{10})(\.[A-Za-z0-9]+)$/
export const IMMUTABLE = 'public, max-age=31536000, immutable'

export class PublicAssets {
  #hashes: Map<string, string> | undefined

  /**
   * `keep`: hash every file of public/ once, at first use (production: a request never reads
   * the disk for it, and unknown names are not remembered); otherwise read the file on every
   * call (files change in development).
   */
  constructor(
    private publicDir: string,
    private keep: boolean
  ) {}

  #hashFile(file: string) {
    return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 10)
  }

  #all() {
    if (this.#hashes) return this.#hashes
    const hashes = new Map<string, string>()
    for (const entry of readdirSync(this.publicDir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue
      const file = join(entry.parentPath ?? entry.path, entry.name)
      hashes.set('/' + relative(this.publicDir, file).split(sep).join('/'), this.#hashFile(file))
    }
    return (this.#hashes = hashes)
  }

  /** The first 10 hex digits of the file's sha256; null when public/ has no such file. */
  hashOf(path: string): string | null {
    if (this.keep) return this.#all().get(path) ?? null
    try {
      return this.#hashFile(join(this.publicDir, path))
    } catch {
      return null
    }
  }

  /** The URL of a public file with its content's hash; the path itself for a missing file. */
  url(path: string): string {
    const hash = path.includes('..') ? null : this.hashOf(path)
    if (!hash) return path
    const dot = path.lastIndexOf('.')
    return dot > path.lastIndexOf('/') ? `${path.slice(0, dot)}.${hash}${path.slice(dot)}` : `${path}.${hash}`
  }

  /** For a hashed URL: the file's own path, and whether the hash is the current content's. */
  resolve(url: string): { path: string; current: boolean } | null {
    const match = HASHED.exec(url)
    if (!match || url.includes('..')) return null
    const path = `${match[1]}${match[3]}`
    const hash = this.hashOf(path)
    return hash ? { path, current: hash === match[2] } : null
  }
}
