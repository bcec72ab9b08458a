import { pathToFileURL } from 'node:url'
import { isIP } from 'node:net'
import { Env } from '@adonisjs/core/env'
import { projectRoot } from '#core/project_paths'
import { normalizePesValue, pesVariable, siretError } from '#core/pes_identifiers'
import { creditorIdError, mod97 } from '#core/sepa_identifiers'

/** "loopback, 10.0.0.0/8, 192.168.1.4": what proxy-addr understands, refused at boot otherwise. */
function proxyList(name: string, value?: string) {
  if (!value?.trim()) return undefined
  for (const entry of value.split(',').map((part) => part.trim())) {
    const [address, prefix, ...rest] = entry.split('/')
    const family = isIP(address)
    const named = ['loopback', 'linklocal', 'uniquelocal'].includes(entry)
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32)) || isIP(prefix) === 4
    if (!named && (!family || !prefixOk || rest.length)) {
      throw new Error(
        `${name} : « ${entry} » n'est ni une adresse IP, ni un réseau (10.0.0.0/8), ni loopback, linklocal ou uniquelocal.`
      )
    }
  }
  return value.trim()
}

/** The SEPA creditor identifier (ICS) of the commune; unset, the portal offers no direct debit. */
function creditorId(name: string, value?: string) {
  if (!value?.trim()) return undefined
  const problem = creditorIdError(value)
  if (problem) throw new Error(`${name} : « ${value} » n'est pas un identifiant créancier SEPA (ICS) valide : ${problem}`)
  return value.replace(/\s+/g, '').toUpperCase()
}

/** A PES V2 accounting identifier of the commune (#core/pes_identifiers); unset, the PES export names what is missing. */
function pesIdentifier(name: string, value?: string) {
  if (!value?.trim()) return undefined
  const normalized = normalizePesValue(name, value)
  const problem = pesVariable(name)!.check(normalized)
  if (problem) throw new Error(`${name} : « ${value} » ne convient pas : ${problem}`)
  return normalized
}

/** The account the commune's debits are paid into (the Trésor's account): an IBAN with right check digits. */
function creditorIban(name: string, value?: string) {
  if (!value?.trim()) return undefined
  const iban = value.replace(/\s+/g, '').toUpperCase()
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban) || mod97(iban.slice(4) + iban.slice(0, 4)) !== 1) {
    throw new Error(`${name} : « ${value} » n'est pas un IBAN valide (pays, clé de contrôle, longueur) : vérifiez chaque caractère.`)
  }
  return iban
}

function creditorBic(name: string, value?: string) {
  if (!value?.trim()) return undefined
  const bic = value.replace(/\s+/g, '').toUpperCase()
  if (!/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) throw new Error(`${name} : « ${value} » n'est pas un BIC (8 ou 11 lettres et chiffres, par exemple BDFEFRPPCCT).`)
  return bic
}

/** A whole number from `min` to `max`, in no more digits than `max` has, else null. */
function wholeNumberIn(value: string, min: number, max: number) {
  const written = value.trim()
  const number = Number(written)
  return written.length <= String(max).length && /^\d+$/.test(written) && number >= min && number <= max ? number : null
}

/** The day of the month direct debits are collected on: 1 to 28, so that it exists in every month. */
function debitDay(name: string, value?: string) {
  if (!value?.trim()) return undefined
  const day = wholeNumberIn(value, 1, 28)
  if (day === null) throw new Error(`${name} : « ${value} » n'est pas un jour de prélèvement valide : un nombre de 1 à 28 (un jour qui existe chaque mois).`)
  return day
}

/** How long a login may wait for its password check: whole seconds, 1 to 600. */
function loginMaxWait(name: string, value?: string) {
  if (!value?.trim()) return undefined
  const seconds = wholeNumberIn(value, 1, 600)
  if (seconds === null) throw new Error(`${name} : « ${value} » n'est pas une durée valide : un nombre de secondes de 1 à 600 (30 par défaut).`)
  return seconds
}

/** API Particulier's base URL: an http(s) address, without the trailing slash. */
function apiParticulierUrl(name: string, value?: string) {
  if (!value?.trim()) return undefined
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    throw new Error(`${name} : « ${value} » n'est pas une adresse (exemple : https://particulier.api.gouv.fr).`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${name} : « ${value} » doit commencer par https://.`)
  return value.trim().replace(/\/+$/, '')
}

/** The SIRET of the commune, sent as `recipient` with every API Particulier call (Luhn key checked). */
function siret(name: string, value?: string) {
  if (!value?.trim()) return undefined
  const digits = value.replace(/\s+/g, '')
  const problem = siretError(digits)
  if (problem) throw new Error(`${name} : « ${value} » ne convient pas : ${problem}`)
  return digits
}

/**
 * FranceConnect's issuer (its discovery document is under it): https, or http on this machine
 * only (the local stand-in of the demo and the tests).
 */
function franceconnectIssuer(name: string, value?: string) {
  if (!value?.trim()) return undefined
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    throw new Error(`${name} : « ${value} » n'est pas une adresse (attendu par exemple https://fcp-low.integ01.dev-franceconnect.fr/api/v2).`)
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new Error(`${name} : « ${value} » doit commencer par https:// (http:// n'est admis que pour localhost).`)
  }
  return url.href.replace(/\/+$/, '')
}

/** The client id and secret go together: one without the other is refused at boot. */
function franceconnectCredential(name: string, value?: string) {
  const other = name === 'FRANCECONNECT_CLIENT_ID' ? 'FRANCECONNECT_CLIENT_SECRET' : 'FRANCECONNECT_CLIENT_ID'
  if (value?.trim() && !process.env[other]?.trim()) {
    throw new Error(`${name} : renseigné sans ${other} ; les deux vont ensemble (fournis par FranceConnect à l'habilitation de la commune).`)
  }
  return value?.trim() || undefined
}

/** Read from the project root, not from build/ (see app/core/project_paths.ts). */
export default await Env.create(pathToFileURL(projectRoot(new URL('../', import.meta.url)) + '/'), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number(),
  APP_KEY: Env.schema.string(),
  HOST: Env.schema.string({ format: 'host' }),
  APP_URL: Env.schema.string.optional(),
  LOG_LEVEL: Env.schema.enum.optional(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
  LOG_REQUESTS: Env.schema.boolean.optional(),
  SHUTDOWN_GRACE_SECONDS: Env.schema.number.optional(),
  TZ: Env.schema.string.optional(),
  PORTAL_DATA_DIR: Env.schema.string.optional(),
  TRUSTED_PROXIES: proxyList,

  PORTAL_MODULES: Env.schema.string.optional(),

  SESSION_DRIVER: Env.schema.enum.optional(['cookie', 'memory', 'database', 'redis'] as const),
  SESSION_IDLE_MINUTES: Env.schema.number.optional(),
  // accounts: the longest a login (or another password form) waits for its hash before it is told when to come back
  LOGIN_MAX_WAIT_SECONDS: loginMaxWait,

  // planning: hours a freed place is held for the waiting child; days before a week's booking deadline to remind families
  PLANNING_OFFER_HOURS: Env.schema.number.optional(),
  PLANNING_REMINDER_DAYS: Env.schema.number.optional(),

  DB_CONNECTION: Env.schema.enum.optional(['sqlite', 'pg'] as const),
  SQLITE_PATH: Env.schema.string.optional(),
  DB_HOST: Env.schema.string.optional({ format: 'host' }),
  DB_PORT: Env.schema.number.optional(),
  DB_USER: Env.schema.string.optional(),
  DB_PASSWORD: Env.schema.string.optional(),
  DB_DATABASE: Env.schema.string.optional(),
  DB_TIMEOUT: Env.schema.number.optional(),
  DB_COMMAND_TIMEOUT: Env.schema.number.optional(),

  REDIS_HOST: Env.schema.string.optional({ format: 'host' }),
  REDIS_PORT: Env.schema.number.optional(),
  REDIS_PASSWORD: Env.schema.string.optional(),

  LIMITER_STORE: Env.schema.enum.optional(['database', 'memory', 'redis'] as const),

  DRIVE_DISK: Env.schema.enum.optional(['fs', 's3'] as const),
  STORAGE_PATH: Env.schema.string.optional(),
  S3_KEY: Env.schema.string.optional(),
  S3_SECRET: Env.schema.string.optional(),
  S3_REGION: Env.schema.string.optional(),
  S3_BUCKET: Env.schema.string.optional(),
  S3_ENDPOINT: Env.schema.string.optional(),

  SMTP_HOST: Env.schema.string.optional(),
  SMTP_PORT: Env.schema.number.optional(),
  SMTP_USERNAME: Env.schema.string.optional(),
  SMTP_PASSWORD: Env.schema.string.optional(),
  SMTP_SECURE: Env.schema.boolean.optional(),
  MAIL_FROM_ADDRESS: Env.schema.string.optional(),
  MAIL_OUTBOX_PATH: Env.schema.string.optional(),

  SEPA_CREDITOR_ID: creditorId,

  PES_ID_POST: pesIdentifier,
  PES_LIBELLE_POSTE: pesIdentifier,
  PES_ID_COLL: pesIdentifier,
  PES_COD_COL: pesIdentifier,
  PES_COD_BUD: pesIdentifier,
  PES_LIBELLE_COL_BUD: pesIdentifier,
  PES_NATURE: pesIdentifier,
  PES_FONCTION: pesIdentifier,
  SEPA_CREDITOR_IBAN: creditorIban,
  SEPA_CREDITOR_BIC: creditorBic,
  SEPA_DEBIT_DAY: debitDay,
  API_PARTICULIER_TOKEN: Env.schema.string.optional(),
  API_PARTICULIER_URL: apiParticulierUrl,
  API_PARTICULIER_RECIPIENT: siret,
  API_PARTICULIER_DEMO: Env.schema.boolean.optional(),
  FRANCECONNECT_CLIENT_ID: franceconnectCredential,
  FRANCECONNECT_CLIENT_SECRET: franceconnectCredential,
  FRANCECONNECT_ISSUER: franceconnectIssuer,
  FRANCECONNECT_DEMO_PORT: Env.schema.number.optional(),
  FRANCECONNECT_DEMO: (name: string, value?: string) => {
    if (!value?.trim()) return undefined
    if (!['0', '1', 'true', 'false'].includes(value.trim())) throw new Error(`${name} : « ${value} » doit valoir 1 (fournisseur d'identité local de démonstration) ou 0.`)
    return ['1', 'true'].includes(value.trim())
  },
})
