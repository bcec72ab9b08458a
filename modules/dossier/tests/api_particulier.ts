import type { Group } from '@japa/runner/core'
import { startApiParticulierStandin, type RunningStandin, type StandinOptions } from '#modules/dossier/api_particulier/standin'

/** The identities of the published test cases, as a parent types them on the form. */
export const IDENTITIES = {
  msa150: { birthName: 'Roux', firstNames: 'Jeanne Stéphanie', sex: 'F', birthDate: '1987-06-27', birthCountryCode: '99100', birthCommuneCode: '08480' },
  caf2550: { birthName: 'Lefebvre', firstNames: 'Alexis Gérôme Jean-Philippe', sex: 'F', birthDate: '1982-12-27', birthCountryCode: '99100', birthCommuneCode: '08480' },
  caf300Abroad: { birthName: 'Simpson', firstNames: 'Marge', sex: 'F', birthDate: '1980-11-15', birthCountryCode: '99404', birthCommuneCode: '' },
  caf424Abroad: { birthName: 'Temimi', firstNames: 'Aziz Mohamed', sex: 'M', birthDate: '1992-06-16', birthCountryCode: '99351', birthCommuneCode: '' },
  caf600Abroad: { birthName: 'Tounsi', firstNames: 'Houssem', sex: 'M', birthDate: '1992-07-04', birthCountryCode: '99351', birthCommuneCode: '' },
  caf846: { birthName: 'Lefebvre', firstNames: 'Nicolas Antoine', sex: 'M', birthDate: '1992-04-10', birthCountryCode: '99100', birthCommuneCode: '75056' },
  caf954: { birthName: 'Martin', firstNames: 'Pierre Olivier', sex: 'M', birthDate: '1985-03-15', birthCountryCode: '99100', birthCommuneCode: '44109' },
  notFound: { birthName: 'Dupont', firstNames: 'Alexis', sex: 'F', birthDate: '1982-12-27', birthCountryCode: '99100', birthCommuneCode: '08480' },
  tooMany: { birthName: 'Desfouin', firstNames: 'René', sex: 'M', birthDate: '2002-12-05', birthCountryCode: '99100', birthCommuneCode: '08480' },
  unavailable: { birthName: 'Maintenance', firstNames: 'Camille', sex: 'F', birthDate: '1990-01-01', birthCountryCode: '99100', birthCommuneCode: '08480' },
} as const

/**
 * Starts the API Particulier stand-in on a free port for the whole group and points the portal
 * at it with a test token and SIRET; stops it and restores the environment afterwards.
 */
export function useApiParticulierStandin(group: Group, options: StandinOptions = {}) {
  const api = {} as { standin: RunningStandin }
  group.setup(async () => {
    api.standin = await startApiParticulierStandin(0, { token: 'jeton-de-test-tres-secret', ...options })
    process.env.API_PARTICULIER_URL = api.standin.url
    process.env.API_PARTICULIER_TOKEN = api.standin.token
    process.env.API_PARTICULIER_RECIPIENT = '21060004200019'
    return async () => {
      delete process.env.API_PARTICULIER_URL
      delete process.env.API_PARTICULIER_TOKEN
      delete process.env.API_PARTICULIER_RECIPIENT
      await api.standin.close()
    }
  })
  return api
}
