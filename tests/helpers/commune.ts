import communeSettings, { type CommuneContact } from '#services/commune_settings'

export const CHILDHOOD_SERVICE: CommuneContact = { label: 'Service Enfance-Jeunesse', phone: '04 93 00 00 01', address: '1 place de la Mairie' }

/** The commune the pages are checked against: Colomars, its childhood service first among its contacts. */
export async function useColomars(...otherContacts: CommuneContact[]) {
  await communeSettings.update({ name: 'Colomars', contacts: [CHILDHOOD_SERVICE, ...otherContacts] })
}
