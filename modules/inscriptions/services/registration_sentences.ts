import type { RegistrationState } from '#modules/inscriptions/models/registration'
import { bySex, plural } from '#core/french'

/* The refusals' sentences, as parents and staff read them. */

export function duplicateSentence(child: { firstName: string; sex?: string | null }, state: RegistrationState) {
  const what =
    state === 'validated'
      ? bySex(child.sex, 'est déjà inscrit', 'est déjà inscrite', 'a déjà une inscription validée')
      : state === 'waiting'
        ? "est déjà en liste d'attente"
        : 'a déjà une demande en cours'
  return `${child.firstName} ${what} pour cette activité : une seule inscription par activité.`
}

export function alreadyDecided(state: RegistrationState) {
  const words: Record<RegistrationState, string> = {
    requested: 'est en attente de décision',
    validated: 'est déjà validée',
    refused: 'est déjà refusée',
    waiting: "est déjà en liste d'attente",
    cancelled: 'est annulée',
  }
  return `Cette demande ${words[state]}.`
}

export function tooLateSentence(days: number) {
  return `Le délai d'annulation en ligne est dépassé : le règlement intérieur demande ${plural(days, 'jour')} avant la date concernée. Adressez votre demande au service par la messagerie.`
}
