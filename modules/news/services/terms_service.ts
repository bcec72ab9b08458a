import { CGU_PARTIAL, CGU_TITLE, CGU_VERSION } from '#modules/accounts/index'

export interface AccountsCgu {
  version: string
  title: string
  partial: string
}

/**
 * The accounts module (a dependency of news, see module.ts) owns the CGU text and version
 * parents accept: /cgu shows that version.
 */
export async function accountsCgu(): Promise<AccountsCgu | null> {
  return { version: CGU_VERSION, title: CGU_TITLE, partial: CGU_PARTIAL }
}
