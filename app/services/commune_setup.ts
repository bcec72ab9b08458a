import { readFile, stat } from 'node:fs/promises'
import { extname } from 'node:path'
import { contrastRatio, MIN_CONTRAST, normalizeHexColor, suggestAccessibleColor } from '#core/contrast'
import type { CommuneContact } from '#services/commune_settings'

/** The guide's five message topics, for a commune that names none. */
export const DEFAULT_TOPICS = [
  "Demande de modification d'éléments dans mon dossier",
  'Demande de réservation ou annulation (hors capacité ou hors délai)',
  'Remise de justificatif (absence,...)',
  'Autres demandes',
  'Facturation',
]

export const DEFAULT_SERVICE = 'Service Enfance'

export interface SetupAnswers {
  name?: string
  logo?: string
  colorPrimary?: string
  colorPrimaryContrast?: string
  colorAccent?: string
  contacts?: string[]
  services?: string[]
  topics?: string[]
  modules?: string
  adminEmail?: string
  adminName?: string
  adminUsername?: string
}

export interface ValidSetup {
  name: string
  logo: { bytes: Buffer; extension: string } | null
  colorPrimary: string
  colorPrimaryContrast: string
  colorAccent: string
  contacts: CommuneContact[] | null
  services: string[] | null
  topics: { service: string; name: string }[] | null
  modules: string | null
  admin: { email: string; fullName: string; username?: string } | null
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Each check returns a French sentence, or null when the answer is fine. */
export const checks = {
  name(value: string | undefined) {
    if (!value || !value.trim()) return 'Le nom de la commune est obligatoire.'
    if (value.trim().length > 120) return 'Le nom de la commune fait plus de 120 caractères.'
    return null
  },
  color(label: string, value: string | undefined) {
    if (value === undefined || value === '') return null
    return normalizeHexColor(value) ? null : `${label} « ${value} » n'est pas une couleur hexadécimale (exemple : #1f4e79).`
  },
  contrast(background: string, text: string, label: string) {
    const ratio = contrastRatio(background, text)
    if (ratio >= MIN_CONTRAST) return null
    const better = suggestAccessibleColor(background, text)
    return `${label} ${background} avec le texte ${text} a un contraste de ${ratio.toFixed(2)}:1, sous le minimum de ${MIN_CONTRAST}:1 : essayez ${better}.`
  },
  contact(value: string) {
    const [label, phone, address] = value.split('|').map((part) => part?.trim())
    if (!label) return `Contact « ${value} » : le libellé manque (format « Libellé|Téléphone|Adresse|Courriel »).`
    if (phone && !/^[0-9+ .()-]{6,20}$/.test(phone)) return `Contact « ${label} » : le téléphone « ${phone} » n'est pas valide.`
    if (!phone && !address) return `Contact « ${label} » : indiquez au moins un téléphone ou une adresse.`
    const email = value.split('|')[3]?.trim()
    if (email && !EMAIL.test(email)) return `Contact « ${label} » : le courriel « ${email} » n'est pas valide.`
    return null
  },
  email(value: string | undefined) {
    if (!value) return null
    return EMAIL.test(value.trim()) ? null : `L'adresse électronique « ${value} » n'est pas valide.`
  },
}

function parseContact(value: string): CommuneContact {
  const [label, phone = '', address = '', email = ''] = value.split('|').map((part) => part.trim())
  return { label, phone, address, ...(email ? { email } : {}) }
}

async function readLogo(path: string): Promise<{ bytes: Buffer; extension: string } | string> {
  let info
  try {
    info = await stat(path)
  } catch {
    return `Le fichier du logo « ${path} » est introuvable.`
  }
  if (!info.isFile()) return `Le logo « ${path} » n'est pas un fichier.`
  if (info.size > 2 * 1024 * 1024) return `Le logo « ${path} » dépasse 2 Mo.`
  const bytes = await readFile(path)
  const extension = extname(path).slice(1).toLowerCase()
  const isPng = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8
  const isSvg = /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/i.test(bytes.subarray(0, 512).toString('utf8'))
  if (isSvg && /<script|on\w+\s*=/i.test(bytes.toString('utf8'))) return `Le logo « ${path} » contient du script : refusé.`
  if (isPng) return { bytes, extension: 'png' }
  if (isJpeg) return { bytes, extension: 'jpg' }
  if (isSvg) return { bytes, extension: 'svg' }
  return `Le logo « ${path} » n'est ni un PNG, ni un JPEG, ni un SVG (extension .${extension}).`
}

/**
 * Validates every answer at once, against the current settings for what is not given.
 * Returns all the errors so that a script learns everything that is wrong in one run.
 */
export async function validateSetup(
  answers: SetupAnswers,
  current: { name: string; colorPrimary: string; colorPrimaryContrast: string; colorAccent: string },
  checkModules: (list: string) => string | null
): Promise<{ errors: string[]; setup?: ValidSetup }> {
  const errors: string[] = []
  const add = (message: string | null) => message && errors.push(message)

  const name = answers.name ?? current.name
  add(checks.name(name))
  add(checks.color('La couleur principale', answers.colorPrimary))
  add(checks.color('La couleur du texte sur la couleur principale', answers.colorPrimaryContrast))
  add(checks.color("La couleur d'accent", answers.colorAccent))
  const colorPrimary = normalizeHexColor(answers.colorPrimary ?? current.colorPrimary)
  const colorPrimaryContrast = normalizeHexColor(answers.colorPrimaryContrast ?? current.colorPrimaryContrast)
  const colorAccent = normalizeHexColor(answers.colorAccent ?? current.colorAccent)
  if (colorPrimary && colorPrimaryContrast) {
    add(checks.contrast(colorPrimary, colorPrimaryContrast, 'La couleur principale'))
  }
  if (colorAccent) add(checks.contrast(colorAccent, '#ffffff', "La couleur d'accent"))

  let logo: ValidSetup['logo'] = null
  if (answers.logo) {
    const result = await readLogo(answers.logo)
    if (typeof result === 'string') errors.push(result)
    else logo = result
  }
  for (const contact of answers.contacts ?? []) add(checks.contact(contact))

  const services = answers.services?.map((s) => s.trim()).filter(Boolean) ?? null
  for (const service of services ?? []) if (service.length > 120) errors.push(`Le service « ${service.slice(0, 30)}… » a un nom trop long.`)
  let topics: ValidSetup['topics'] = null
  if (answers.topics) {
    topics = []
    const knownServices = services ?? [DEFAULT_SERVICE]
    for (const entry of answers.topics) {
      const separator = entry.indexOf(':')
      const service = separator > 0 ? entry.slice(0, separator).trim() : knownServices[0]
      const topic = (separator > 0 ? entry.slice(separator + 1) : entry).trim()
      if (!topic) errors.push(`Le thème « ${entry} » est vide.`)
      else if (services && !services.includes(service)) errors.push(`Le thème « ${topic} » nomme un service inconnu : « ${service} ».`)
      else topics.push({ service, name: topic })
    }
  }

  if (answers.modules !== undefined) add(checkModules(answers.modules))
  add(checks.email(answers.adminEmail))
  if (answers.adminEmail && !answers.adminName) errors.push("Le nom de l'administrateur est obligatoire avec son courriel (--admin-name).")

  if (errors.length) return { errors }
  return {
    errors,
    setup: {
      name: name.trim(),
      logo,
      colorPrimary: colorPrimary!,
      colorPrimaryContrast: colorPrimaryContrast!,
      colorAccent: colorAccent!,
      contacts: answers.contacts ? answers.contacts.map(parseContact) : null,
      services,
      topics,
      modules: answers.modules ?? null,
      admin: answers.adminEmail
        ? { email: answers.adminEmail.trim().toLowerCase(), fullName: answers.adminName!.trim(), username: answers.adminUsername }
        : null,
    },
  }
}
