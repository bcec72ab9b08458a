/**
 * The published test identities of API Particulier's "quotient familial with civility"
 * (etalab/siade_staging_data, payloads/api_particulier_v3_cnav_quotient_familial_with_civility):
 * the stand-in answers them, the demo's guardians and the tests use them. A few identities of
 * the same files answer errors (429, 502, 504); one more answers 503 for the "service
 * indisponible" case the published set lacks. QF 424, 600, 846 and 954 come from the v2 folder
 * of the same repository (payloads/api_particulier_v2_cnav_quotient_familial_v2).
 */
export interface TestPerson {
  nom_naissance: string
  nom_usage: string | null
  prenoms: string
  date_naissance: string
  sexe: 'F' | 'M'
}

export interface TestIdentity {
  nomNaissance: string
  prenoms: string[]
  sexe: 'F' | 'M'
  /** YYYY-MM-DD; the request may give only the year, or year and month. */
  dateNaissance: string
  paysNaissance: string
  communeNaissance: string | null
}

export interface QuotientCase {
  identity: TestIdentity
  fournisseur: 'CNAF' | 'MSA'
  valeur: number
  allocataires: TestPerson[]
  enfants: TestPerson[]
  adresse: Record<string, string | null>
}

export interface ErrorCase {
  identity: TestIdentity
  status: 429 | 502 | 503 | 504
}

const person = (nom: string, prenoms: string, date: string, sexe: 'F' | 'M'): TestPerson => ({ nom_naissance: nom, nom_usage: null, prenoms, date_naissance: date, sexe })
const address = (destinataire: string, voie: string, ville: string) => ({
  destinataire,
  complement_information: null,
  complement_information_geographique: null,
  numero_libelle_voie: voie,
  lieu_dit: null,
  code_postal_ville: ville,
  pays: 'FRANCE',
})

export const QUOTIENT_CASES: QuotientCase[] = [
  {
    identity: { nomNaissance: 'ROUX', prenoms: ['JEANNE', 'STEPHANIE'], sexe: 'F', dateNaissance: '1987-06-27', paysNaissance: '99100', communeNaissance: '08480' },
    fournisseur: 'MSA',
    valeur: 150,
    allocataires: [person('ROUX', 'JEANNE STEPHANIE', '1987-06-27', 'F'), person('ROUX', 'LOIC NATHAN', '1979-05-19', 'M')],
    enfants: [person('ROUX', 'ALEXIS VINCENT', '2006-04-20', 'M'), person('ROUX', 'FLEUR EDITH', '2004-04-20', 'M')],
    adresse: address('Madame ROUX JEANNE', '1 RUE MONTORGUEIL', '75002 PARIS'),
  },
  {
    identity: { nomNaissance: 'SIMPSON', prenoms: ['MARGE'], sexe: 'F', dateNaissance: '1980-11-15', paysNaissance: '99404', communeNaissance: null },
    fournisseur: 'CNAF',
    valeur: 300,
    allocataires: [person('BROWN', 'Marge', '1980-11-15', 'F')],
    enfants: [person('BROWN', 'Bart', '2012-02-28', 'M'), person('SIMPSON', 'LISA', '2013-03-01', 'F')],
    adresse: address('Madame SIMPSON Marge', "1 PLACE DE L'HÔTEL DE VILLE", '51000 CHÂLONS-EN-CHAMPAGNE'),
  },
  {
    identity: { nomNaissance: 'BERNARD', prenoms: ['ELODIE'], sexe: 'F', dateNaissance: '1990-03-18', paysNaissance: '99100', communeNaissance: '08480' },
    fournisseur: 'CNAF',
    valeur: 650,
    allocataires: [person('BERNARD', 'ELODIE JUDITH GERTRUDE', '1990-03-18', 'F')],
    enfants: [person('BERNARD', 'LEO', '1990-04-20', 'M')],
    adresse: address('Madame BERNARD ELODIE', '1 RUE MONTORGUEIL', '75002 PARIS'),
  },
  // The next four are published in the v2 folder (api_particulier_v2_cnav_quotient_familial_v2), answered here in v3's shape.
  {
    identity: { nomNaissance: 'TEMIMI', prenoms: ['AZIZ', 'MOHAMED'], sexe: 'M', dateNaissance: '1992-06-16', paysNaissance: '99351', communeNaissance: null },
    fournisseur: 'CNAF',
    valeur: 424,
    allocataires: [person('TEMIMI', 'AZIZ MOHAMED', '1992-06-16', 'M')],
    enfants: [],
    adresse: { ...address('Monsieur TEMIMI MOHAMED AZIZ', '19 RUE EL NACER KODIA', '7000 BIZERTE'), pays: 'TUNISIE' },
  },
  {
    identity: { nomNaissance: 'TOUNSI', prenoms: ['HOUSSEM'], sexe: 'M', dateNaissance: '1992-07-04', paysNaissance: '99351', communeNaissance: null },
    fournisseur: 'CNAF',
    valeur: 600,
    allocataires: [person('TOUNSI', 'HOUSSEM', '1992-07-04', 'M'), person('TOUNSI', 'FATMA', '1995-11-24', 'F')],
    enfants: [person('TOUNSI', 'AZZEM', '2006-04-25', 'M'), person('TOUNSI', 'HALIMA', '2004-04-20', 'F')],
    adresse: { ...address('Monsieur TOUNSI HOUSSEM', '13 RUE PASTEUR', '7250 MANOUBA'), pays: 'TUNISIE' },
  },
  {
    identity: { nomNaissance: 'LEFEBVRE', prenoms: ['NICOLAS', 'ANTOINE'], sexe: 'M', dateNaissance: '1992-04-10', paysNaissance: '99100', communeNaissance: '75056' },
    fournisseur: 'CNAF',
    valeur: 846,
    allocataires: [person('LEFEBVRE', 'NICOLAS ANTOINE', '1992-04-10', 'M')],
    enfants: [],
    adresse: address('Monsieur LEFEBVRE NICOLAS', '15 BOULEVARD HAUSSMANN', '75008 PARIS'),
  },
  {
    identity: { nomNaissance: 'MARTIN', prenoms: ['PIERRE', 'OLIVIER'], sexe: 'M', dateNaissance: '1985-03-15', paysNaissance: '99100', communeNaissance: '44109' },
    fournisseur: 'CNAF',
    valeur: 954,
    allocataires: [person('MARTIN', 'PIERRE OLIVIER', '1985-03-15', 'M'), { ...person('LEGRAND', 'EMILIE MARIE', '1987-06-27', 'F'), nom_usage: 'MARTIN' }],
    enfants: [person('MARTIN', 'JULIEN LUC', '2012-09-05', 'M'), person('MARTIN', 'LISA ANNE', '2015-12-18', 'F')],
    adresse: address('Monsieur MARTIN PIERRE', '25 RUE DU GENERAL DE GAULLE', '44000 NANTES'),
  },
  {
    identity: { nomNaissance: 'ROCHER', prenoms: ['SANDRINE'], sexe: 'F', dateNaissance: '1986-11-09', paysNaissance: '99100', communeNaissance: '13055' },
    fournisseur: 'CNAF',
    valeur: 800,
    allocataires: [person('ROCHER', 'SANDRINE', '1986-11-09', 'F')],
    enfants: [person('ROCHER', 'LUCIE', '2009-05-14', 'F')],
    adresse: address('Madame ROCHER SANDRINE', '10 RUE SAINTE', '13001 MARSEILLE'),
  },
  {
    identity: { nomNaissance: 'DUPONT', prenoms: ['SOPHIE'], sexe: 'F', dateNaissance: '1982-09-03', paysNaissance: '99100', communeNaissance: '13001' },
    fournisseur: 'CNAF',
    valeur: 900,
    allocataires: [person('DUPONT', 'SOPHIE', '1982-09-03', 'F')],
    enfants: [person('DUPONT', 'CLARA', '2003-11-15', 'F'), person('DUPONT', 'LOUISE', '2010-06-22', 'F'), person('DUPONT', 'INES', '2016-12-03', 'F'), person('DUPONT', 'MAXIME', '2015-09-01', 'M')],
    adresse: address('Madame DUPONT SOPHIE', '15 COURS JULIEN', '13006 MARSEILLE'),
  },
  {
    identity: { nomNaissance: 'BERNARD', prenoms: ['JULIEN'], sexe: 'M', dateNaissance: '1979-02-27', paysNaissance: '99100', communeNaissance: '13090' },
    fournisseur: 'CNAF',
    valeur: 1050,
    allocataires: [person('BERNARD', 'JULIEN', '1979-02-27', 'M')],
    enfants: [person('BERNARD', 'THOMAS', '2006-06-08', 'M'), person('BERNARD', 'LEO', '2011-03-19', 'M')],
    adresse: address('Monsieur BERNARD JULIEN', '28 BOULEVARD MICHELET', '13008 MARSEILLE'),
  },
  {
    identity: { nomNaissance: 'MARTIN', prenoms: ['PIERRE'], sexe: 'M', dateNaissance: '1985-06-12', paysNaissance: '99100', communeNaissance: '13055' },
    fournisseur: 'CNAF',
    valeur: 1200,
    allocataires: [person('MARTIN', 'PIERRE', '1985-06-12', 'M')],
    enfants: [person('MARTIN', 'LUCAS', '2005-04-20', 'M'), person('MARTIN', 'EMMA', '2012-08-15', 'F'), person('MARTIN', 'NOAH', '2015-01-10', 'M')],
    adresse: address('Monsieur MARTIN PIERRE', '42 AVENUE DE LA RÉPUBLIQUE', '13001 MARSEILLE'),
  },
  {
    identity: { nomNaissance: 'LEFEBVRE', prenoms: ['ALEXIS', 'GÉRÔME', 'JEAN-PHILIPPE'], sexe: 'F', dateNaissance: '1982-12-27', paysNaissance: '99100', communeNaissance: '08480' },
    fournisseur: 'CNAF',
    valeur: 2550,
    allocataires: [person('LEFEBVRE', 'ALEXIS GÉRÔME JEAN-PHILIPPE', '1982-12-27', 'F')],
    enfants: [],
    adresse: address('Monsieur LEFEBVRE ALEXIS GÉRÔME JEAN-PHILIPPE', '1 RUE MONTORGUEIL', '75002 PARIS'),
  },
  {
    identity: { nomNaissance: 'DUBOIS', prenoms: ['ANGELA', 'CLAIRE', 'LOUISE'], sexe: 'F', dateNaissance: '1962-08-24', paysNaissance: '99100', communeNaissance: null },
    fournisseur: 'CNAF',
    valeur: 4270,
    allocataires: [person('DUBOIS', 'ANGELA CLAIRE LOUISE', '1962-08-24', 'F')],
    enfants: [],
    adresse: address('Madame DUBOIS ANGELA CLAIRE LOUISE', '19 RUE ARISTIDE BRIAND', '92330 SCEAUX'),
  },
]

export const ERROR_CASES: ErrorCase[] = [
  { identity: { nomNaissance: 'DESFOUIN', prenoms: ['RENE'], sexe: 'M', dateNaissance: '2002-12-05', paysNaissance: '99100', communeNaissance: '08480' }, status: 429 },
  { identity: { nomNaissance: 'DELANOUE', prenoms: ['JEAN-MARIE'], sexe: 'M', dateNaissance: '2002-12-05', paysNaissance: '99100', communeNaissance: '08480' }, status: 502 },
  { identity: { nomNaissance: 'SITUDI', prenoms: ['CLEMENT'], sexe: 'M', dateNaissance: '2002-12-05', paysNaissance: '99100', communeNaissance: '08480' }, status: 504 },
  { identity: { nomNaissance: 'MAINTENANCE', prenoms: ['CAMILLE'], sexe: 'F', dateNaissance: '1990-01-01', paysNaissance: '99100', communeNaissance: '08480' }, status: 503 },
]

/** Upper case without accents: how the stand-in compares names (the real API is phonetic). */
export const folded = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().trim()

export interface IdentityQuery {
  nomNaissance: string
  prenoms: string[]
  sexe: string
  paysNaissance: string
  communeNaissance: string | null
  annee: number | null
  mois: number | null
  jour: number | null
}

/** Same birth name, first given name, sex, country, commune when both give one, and every birth date part given. */
export function sameIdentity(known: TestIdentity, query: IdentityQuery) {
  const [year, month, day] = known.dateNaissance.split('-').map(Number)
  if (folded(known.nomNaissance) !== folded(query.nomNaissance)) return false
  if (folded(known.prenoms[0]) !== folded(query.prenoms[0] ?? '')) return false
  if (known.sexe !== query.sexe || known.paysNaissance !== query.paysNaissance) return false
  if (known.communeNaissance && query.communeNaissance && known.communeNaissance !== query.communeNaissance) return false
  if (query.annee !== null && query.annee !== year) return false
  if (query.mois !== null && query.mois !== month) return false
  if (query.jour !== null && query.jour !== day) return false
  return true
}

/** A demo guardian answered with a published case's quotient (the demo seeder gives them these identities). */
function demoCase(identity: TestIdentity, publishedValue: number): QuotientCase {
  const published = QUOTIENT_CASES.find((known) => known.valeur === publishedValue)!
  const self = person(identity.nomNaissance, identity.prenoms.join(' ').toUpperCase(), identity.dateNaissance, identity.sexe)
  return { ...published, identity, allocataires: [self], adresse: address(`${identity.sexe === 'F' ? 'Madame' : 'Monsieur'} ${identity.nomNaissance} ${identity.prenoms[0].toUpperCase()}`, '12 CHEMIN DES OLIVIERS', '06670 COLOMARS') }
}

/**
 * The FranceConnect demo identity that matches demo guardian Christine (modules/accounts/
 * franceconnect_stand_in/identities.ts: FranceConnect gives GUERUCCI as her family name): the
 * same quotient as her birth identity's, answered on /france_connect only.
 */
export const FRANCECONNECT_DEMO_CASES: QuotientCase[] = [
  demoCase({ nomNaissance: 'GUERUCCI', prenoms: ['Christine', 'Marie'], sexe: 'F', dateNaissance: '1984-04-12', paysNaissance: '99100', communeNaissance: '06088' }, 650),
]

export const DEMO_CASES: QuotientCase[] = [
  demoCase({ nomNaissance: 'ROSSI', prenoms: ['Christine', 'Marie'], sexe: 'F', dateNaissance: '1984-04-12', paysNaissance: '99100', communeNaissance: '06088' }, 650),
  demoCase({ nomNaissance: 'MARTIN', prenoms: ['Stéphane'], sexe: 'M', dateNaissance: '1979-02-27', paysNaissance: '99100', communeNaissance: '06088' }, 150),
  demoCase({ nomNaissance: 'N’DIAYE', prenoms: ['Aïssatou'], sexe: 'F', dateNaissance: '1988-10-03', paysNaissance: '99341', communeNaissance: null }, 300),
]
