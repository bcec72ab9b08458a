import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

/**
 * The script at `path` without its extension: `<path>.js` in the build, `<path>.ts` in the
 * sources. Null when neither exists.
 */
export function scriptFile(path: string): string | null {
  for (const extension of ['.js', '.ts']) {
    if (existsSync(path + extension)) return path + extension
  }
  return null
}

/** Imports the script at `path` (without its extension) when it exists; null otherwise. */
export async function importScript<T = Record<string, any>>(path: string): Promise<T | null> {
  const file = scriptFile(path)
  return file ? ((await import(pathToFileURL(file).href)) as T) : null
}
