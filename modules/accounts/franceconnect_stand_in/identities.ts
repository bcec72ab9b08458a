/**
 * The two people of the demo FranceConnect. Christine Guerucci is the first guardian of the
 * demo family DEMO-001 (same names and birth date in the dossier demo seeder): she can link
 * her account. Angela Dubois (FranceConnect's own test identity) is known to no family.
 * Subjects look like FranceConnect's (64 hexadecimal characters and "v1").
 */
export interface DemoIdentity {
  sub: string
  given_name: string
  family_name: string
  birthdate: string
  gender: 'male' | 'female'
  birthplace: string
  birthcountry: string
  email: string
  preferred_username: string
}

export const DEMO_IDENTITIES: DemoIdentity[] = [
  {
    sub: 'b6048e95bb134ec5b1d1e1fa69f287172e91722b9354d637a1bcf2ebb0fd2ef5v1',
    given_name: 'Christine Marie',
    family_name: 'GUERUCCI',
    birthdate: '1984-04-12',
    gender: 'female',
    birthplace: '06088',
    birthcountry: '99100',
    email: 'christine.guerucci@franceconnect.demo',
    preferred_username: '',
  },
  {
    sub: '3a2c8e7d9f1b4c6a8e0d2f4b6c8a0e2d4f6b8c0a2e4d6f8b0c2a4e6d8f0b2c4av1',
    given_name: 'Angela Claire Louise',
    family_name: 'DUBOIS',
    birthdate: '1962-08-24',
    gender: 'female',
    birthplace: '75107',
    birthcountry: '99100',
    email: 'wossewodda-3728@yopmail.com',
    preferred_username: '',
  },
]

export function demoIdentity(sub: string): DemoIdentity | undefined {
  return DEMO_IDENTITIES.find((identity) => identity.sub === sub)
}
