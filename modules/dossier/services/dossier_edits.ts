import type { User } from '#modules/accounts/index'
import { normalizePhone, show } from '#modules/dossier/services/normalize'

/** What an edit changed, each in words ("ville : « Lyon » → « Paris »"), for the history and the audit. */
export type Changes = string[]

/** A phone number tidied ("06 12 34 56 78"), kept as typed when it does not look like one. */
export function phoneOrNull(value: string | null | undefined): string | null {
  if (!value) return null
  return normalizePhone(value) ?? value
}

/** Sets fields on a model and lists what changed in words. */
export function assign<T extends object>(model: T, values: Partial<Record<keyof T, unknown>>, labels: Partial<Record<keyof T, string>>, changes: Changes, prefix = '') {
  for (const [key, next] of Object.entries(values) as [keyof T, unknown][]) {
    const before = (model as any)[key] ?? null
    const after = next ?? null
    const same = Array.isArray(before) && Array.isArray(after) ? before.join('|') === after.join('|') : before === after
    if (!same) {
      const label = labels[key] ?? String(key)
      changes.push(`${prefix}${label} : ${show(Array.isArray(before) ? before.join(', ') : before)} → ${show(Array.isArray(after) ? after.join(', ') : after)}`)
      ;(model as any)[key] = after
    }
  }
}

/** The household's fields, named as the history tells them. */
export const FAMILY_LABELS = {
  address: 'adresse',
  postalCode: 'code postal',
  city: 'ville',
  phone: 'téléphone fixe',
  mobilePhone: 'téléphone portable',
  email: 'courriel',
  regime: 'régime',
  resident: 'résident de la commune',
  reference: 'référence',
}

/** Who a history line names: the service for an agent, the parent's name otherwise. */
export function who(actor: User) {
  return actor.isStaff ? 'le service' : actor.fullName
}
