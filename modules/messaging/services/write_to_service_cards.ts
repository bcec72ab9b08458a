import router from '@adonisjs/core/services/router'
import type { SlotCard } from '#core/module_manifest'
import { CHANGE_REQUEST_TOPIC } from '#modules/dossier/index'

/**
 * The cards messaging puts in the places other modules' pages offer when a parent has to write
 * to the service (a request out of time, a certificate, a change in the file). The topics are
 * the commune's (portal:setup); the form preselects the first one whose name contains `theme`.
 */
function writeToService(text: string, theme: string): SlotCard {
  return {
    title: 'Par la messagerie',
    text,
    link: {
      label: `Écrire au service (thème « ${theme} »)`,
      href: router.makeUrl('messaging.create', {}, { qs: { theme } }),
    },
  }
}

export const afterChangeRequest = () =>
  writeToService('Vous pouvez joindre un justificatif à votre demande en écrivant au service.', CHANGE_REQUEST_TOPIC)

export const cancellationTooLate = () =>
  writeToService(
    'Adressez votre demande au service par la messagerie.',
    'Demande de réservation ou annulation (hors capacité ou hors délai)'
  )

export const bookingRefused = () =>
  writeToService('Pour une demande hors délai ou hors capacité, écrivez au service par la messagerie.', 'Demande de réservation ou annulation')

export const absenceTooLate = () =>
  writeToService('Vous pouvez remettre un justificatif au service par la messagerie.', 'Remise de justificatif')
