import type { QuotientAnswer } from '#modules/dossier/api_particulier/client'
import { DateTime } from 'luxon'
import { ZONE } from '#core/format'

/** Which API Particulier call: with the birth identity, or with the parent's FranceConnect authorisation. */
export type QuotientVia = 'identite' | 'france_connect'

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre']

/** « mars 2026 » */
export const monthName = (year: number, month: number) => `${MONTHS[month - 1]} ${year}`

export const providerName = (provider: string) => (provider === 'MSA' ? 'la MSA' : 'la CAF')

/** Why a fetch failed, in words for the parent and the staff; nothing was changed. */
export function failureSentence(answer: Extract<QuotientAnswer, { ok: false }>, now: DateTime = DateTime.now(), via: QuotientVia = 'identite'): string {
  if (via === 'france_connect' && answer.kind === 'bad_token') {
    return "Votre autorisation FranceConnect n'est plus valable (elle ne dure que quelques minutes après la connexion) : recommencez en indiquant votre identité de naissance ci-dessous, ou reconnectez-vous avec FranceConnect."
  }
  if (via === 'france_connect' && answer.kind === 'not_found') {
    return "La CAF et la MSA n'ont pas trouvé de dossier allocataire pour l'identité transmise par FranceConnect. Transmettez votre attestation de quotient familial dans vos documents."
  }
  switch (answer.kind) {
    case 'not_found':
      return "Identité non trouvée auprès de la CAF et de la MSA : vérifiez le nom de naissance, les prénoms, le sexe, la date et le lieu de naissance tels qu'ils figurent à l'état civil."
    case 'invalid_identity':
      return "Les informations d'identité ont été refusées par le service de l'État : vérifiez-les (prénoms, date et lieu de naissance)."
    case 'rate_limited': {
      const seconds = answer.retryAfterSeconds ?? 60
      const at = now.plus({ seconds }).setZone(ZONE).toFormat("HH'h'mm")
      return `Trop de demandes auprès du service de l'État — réessayez après ${at} (dans ${seconds} s).`
    }
    case 'bad_token':
      return answer.code === '00103'
        ? "L'habilitation de la commune à API Particulier a expiré (jeton expiré) : le service doit la renouveler ; transmettez en attendant votre attestation de quotient familial."
        : "L'accès de la commune à API Particulier est refusé (jeton invalide) : le service doit vérifier sa configuration ; transmettez en attendant votre attestation de quotient familial."
    case 'forbidden':
      return "L'habilitation de la commune ne permet pas de lire le quotient familial (droits insuffisants) : le service doit la faire compléter."
    default:
      return 'Service de la CAF et de la MSA indisponible pour le moment : réessayez plus tard.'
  }
}
