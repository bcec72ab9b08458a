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
  const specifier = '#modules/accounts/services/cgu'
  try {
    const cgu = await import(specifier)
    if (typeof cgu.CGU_VERSION === 'string' && typeof cgu.CGU_PARTIAL === 'string') {
      return { version: cgu.CGU_VERSION, title: cgu.CGU_TITLE ?? "Conditions générales d'utilisation", partial: cgu.CGU_PARTIAL }
    }
  } catch (error: any) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' && error?.code !== 'ERR_PACKAGE_IMPORT_NOT_DEFINED') throw error
  }
  return null
}
