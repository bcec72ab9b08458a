import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { modulePath } from '#core/module_catalog'

export interface AccountsCgu {
  version: string
  title: string
  partial: string
}

/**
 * The accounts module owns the CGU text and version parents accept. It is read when that
 * module exposes it (services/cgu.ts); otherwise /cgu shows the commune's page "cgu".
 */
export async function accountsCgu(): Promise<AccountsCgu | null> {
  const file = ['cgu.js', 'cgu.ts'].map((name) => modulePath('accounts', 'services', name)).find((path) => existsSync(path))
  if (!file) return null
  const cgu = await import(pathToFileURL(file).href)
  if (typeof cgu.CGU_VERSION !== 'string' || typeof cgu.CGU_PARTIAL !== 'string') return null
  return { version: cgu.CGU_VERSION, title: cgu.CGU_TITLE ?? "Conditions générales d'utilisation", partial: cgu.CGU_PARTIAL }
}
