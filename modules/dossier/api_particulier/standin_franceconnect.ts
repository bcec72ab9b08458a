/*
 * How the API Particulier stand-in checks a FranceConnect access token, as the real API does:
 * by asking FranceConnect. Here, the FranceConnect (stand-in) userinfo endpoint with that token:
 * a 200 gives the person (the signed userinfo's claims), anything else means an invalid or
 * expired token. The FranceConnect address comes from the configuration (see issuerOf).
 */
import { folded, type QuotientCase, type ErrorCase, type TestIdentity } from '#modules/dossier/api_particulier/test_cases'

export interface FranceConnectPerson {
  sub: string
  givenName: string
  familyName: string
  birthdate: string
  gender: string | null
  birthplace: string | null
  birthcountry: string | null
}

/**
 * The FranceConnect the stand-in asks: its option, else the portal's FRANCECONNECT_ISSUER, else
 * the demo's local FranceConnect (127.0.0.1, FRANCECONNECT_DEMO_PORT or 4811).
 */
export function issuerOf(configured: string | undefined) {
  const issuer = configured || process.env.FRANCECONNECT_ISSUER?.trim() || `http://127.0.0.1:${Number(process.env.FRANCECONNECT_DEMO_PORT || 4811)}/api/v2`
  return issuer.replace(/\/+$/, '')
}

const userinfoEndpoints = new Map<string, string>()

async function userinfoEndpoint(issuer: string) {
  const known = userinfoEndpoints.get(issuer)
  if (known) return known
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) })
  if (!response.ok) throw new Error(`découverte ${response.status}`)
  const endpoint = String(((await response.json()) as { userinfo_endpoint?: string }).userinfo_endpoint ?? `${issuer}/userinfo`)
  userinfoEndpoints.set(issuer, endpoint)
  return endpoint
}

/**
 * The claims of a userinfo answer: FranceConnect signs it (application/jwt). The stand-in reads
 * the payload of the JWT it just received over the wire from FranceConnect itself; it does not
 * need to verify the signature to know who the token is for.
 */
function claimsOf(contentType: string, text: string): Record<string, unknown> {
  if (/jwt/i.test(contentType)) return JSON.parse(Buffer.from(text.split('.')[1] ?? '', 'base64url').toString('utf8'))
  return JSON.parse(text)
}

/** The person the token was issued for, null for an invalid or expired token; throws when FranceConnect does not answer. */
export async function personOfToken(issuer: string, accessToken: string): Promise<FranceConnectPerson | null> {
  const response = await fetch(await userinfoEndpoint(issuer), { headers: { authorization: `Bearer ${accessToken}` }, signal: AbortSignal.timeout(5000) })
  if (response.status === 401 || response.status === 400 || response.status === 403) return null
  if (!response.ok) throw new Error(`userinfo ${response.status}`)
  const claims = claimsOf(response.headers.get('content-type') ?? '', await response.text())
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null)
  if (!text(claims.sub)) return null
  return {
    sub: text(claims.sub)!,
    givenName: text(claims.given_name) ?? '',
    familyName: text(claims.family_name) ?? '',
    birthdate: text(claims.birthdate) ?? '',
    gender: text(claims.gender),
    birthplace: text(claims.birthplace),
    birthcountry: text(claims.birthcountry),
  }
}

/**
 * Same birth name, first given name and birth date; sex, country and commune too when the token's
 * scopes gave them (the portal asks only the names and the birth date).
 */
export function samePerson(known: TestIdentity, person: FranceConnectPerson) {
  if (folded(known.nomNaissance) !== folded(person.familyName)) return false
  if (folded(known.prenoms[0]) !== folded(person.givenName.split(/\s+/)[0] ?? '')) return false
  if (known.dateNaissance !== person.birthdate) return false
  if (person.gender && known.sexe !== (person.gender === 'female' ? 'F' : 'M')) return false
  if (person.birthcountry && known.paysNaissance !== person.birthcountry) return false
  if (person.birthplace && known.communeNaissance && known.communeNaissance !== person.birthplace) return false
  return true
}

export function findByPerson<T extends QuotientCase | ErrorCase>(cases: T[], person: FranceConnectPerson): T | undefined {
  return cases.find((known) => samePerson(known.identity, person))
}
