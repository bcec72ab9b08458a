import { readFile, stat } from 'node:fs/promises'
import { extname } from 'node:path'
import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { contrastRatio, MIN_CONTRAST, normalizeHexColor, suggestAccessibleColor } from '#core/contrast'
import type { CommuneContact } from '#services/commune_settings'

/*
 * portal:setup's answers (flags or prompts), checked by one Vine validator compiled once. Every
 * refusal is a French sentence that names the value given, so that a script learns everything
 * that is wrong in one run.
 */

export const DEFAULT_SERVICE = 'Service Enfance'
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const MAX_LOGO_BYTES = 2 * 1024 * 1024

export interface LogoFile {
  bytes: Buffer
  extension: 'png' | 'jpg' | 'svg'
}

const hexColor = vine.createRule((value, _options, field) => {
  const color = normalizeHexColor(String(value))
  if (color) field.mutate(color, field)
  else field.report('couleur invalide', 'hexColor', field)
})

/** Readable against another field's colour (when that one is a colour) or a fixed one. */
const contrastWith = vine.createRule((value, options: { field: string } | { color: string }, field) => {
  const other = 'color' in options ? options.color : normalizeHexColor(String(field.parent[options.field] ?? ''))
  if (!other) return
  const ratio = contrastRatio(String(value), other)
  if (ratio >= MIN_CONTRAST) return
  field.report('contraste insuffisant', 'contrast', field, {
    color: value,
    other,
    ratio: ratio.toFixed(2),
    minimum: MIN_CONTRAST,
    better: suggestAccessibleColor(String(value), other),
  })
})

/** A PNG, JPEG or SVG without script, 2 MB at most, judged by its content; kept as its bytes. */
const logoFile = vine.createRule(
  async (value, _options, field) => {
    const path = String(value)
    const info = await stat(path).catch(() => null)
    if (!info) return field.report('logo introuvable', 'logo.missing', field)
    if (!info.isFile()) return field.report('pas un fichier', 'logo.notFile', field)
    if (info.size > MAX_LOGO_BYTES) return field.report('logo trop lourd', 'logo.size', field)
    const bytes = await readFile(path)
    const isPng = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8
    const isSvg = /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/i.test(bytes.subarray(0, 512).toString('utf8'))
    if (isSvg && /<script|on\w+\s*=/i.test(bytes.toString('utf8'))) return field.report('script', 'logo.script', field)
    const extension = isPng ? 'png' : isJpeg ? 'jpg' : isSvg ? 'svg' : null
    if (!extension) return field.report('format', 'logo.format', field, { extension: extname(path).slice(1).toLowerCase() })
    field.mutate({ bytes, extension } satisfies LogoFile, field)
  },
  { isAsync: true }
)

/** "Libellé|Téléphone|Adresse|Courriel" → a contact; parts trimmed, the email optional. */
export function parseContact(value: string): CommuneContact {
  const [label, phone = '', address = '', email = ''] = value.split('|').map((part) => part.trim())
  return { label, phone, address, ...(email ? { email } : {}) }
}

/** Every problem of one contact, not only the first: the label, the phone, the reach, the email. */
const contact = vine.createRule((value, _options, field) => {
  const { label, phone, address, email } = parseContact(String(value))
  if (!label) field.report('libellé', 'contact.label', field)
  if (phone && !/^[0-9+ .()-]{6,20}$/.test(phone)) field.report('téléphone', 'contact.phone', field, { label, phone })
  if (!phone && !address) field.report('téléphone ou adresse', 'contact.reach', field, { label })
  if (email && !EMAIL.test(email)) field.report('courriel', 'contact.email', field, { label, email })
})

/** The services the setup names (trimmed, blanks left out), or null when it names none. */
export function namedServices(services: unknown): string[] | null {
  if (!Array.isArray(services)) return null
  return services.map((service) => String(service).trim()).filter(Boolean)
}

const serviceName = vine.createRule((value, _options, field) => {
  if (String(value).length > 120) field.report('trop long', 'serviceName', field, { start: String(value).slice(0, 30) })
})

/**
 * The services a topic may name once the setup is applied: those named, then those that exist
 * (services are added, never removed); the default service when there are none at all.
 */
export function knownServices(named: string[] | null, existing: string[]): string[] {
  const known = [...(named ?? []), ...existing.filter((service) => !named?.includes(service))]
  return known.length ? known : [DEFAULT_SERVICE]
}

/** "Service:Thème", or "Thème" for the first known service (see knownServices). */
export function parseTopic(entry: string, services: string[]) {
  const separator = entry.indexOf(':')
  const service = separator > 0 ? entry.slice(0, separator).trim() : services[0]
  return { service, name: (separator > 0 ? entry.slice(separator + 1) : entry).trim() }
}

/** A topic whose service neither is named nor exists is refused here, before anything is written. */
const topic = vine.createRule((value, _options, field) => {
  const services = knownServices(namedServices(field.data.services), field.meta.existingServices)
  const { service, name } = parseTopic(String(value), services)
  if (!name) field.report('thème vide', 'topic.empty', field)
  else if (!services.includes(service)) {
    field.report('service inconnu', 'topic.service', field, { topic: name, service, known: services.join('», «') })
  }
})

/** The module list, checked against the modules present by the command (`meta.checkModules`). */
const moduleList = vine.createRule((value, _options, field) => {
  const problem: string | null = field.meta.checkModules(String(value))
  if (problem) field.report(problem, 'modules', field)
})

/** What the validator needs besides the answers: the module check and the services that exist. */
export interface SetupMeta {
  checkModules: (list: string) => string | null
  existingServices: string[]
}

export const setupValidator = vine.withMetaData<SetupMeta>().compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(120),
    colorPrimary: vine.string().use(hexColor()).use(contrastWith({ field: 'colorPrimaryContrast' })),
    colorPrimaryContrast: vine.string().use(hexColor()),
    colorAccent: vine.string().use(hexColor()).use(contrastWith({ color: '#ffffff' })),
    logo: vine
      .string()
      .use(logoFile())
      .transform((value) => value as unknown as LogoFile)
      .optional(),
    contacts: vine.array(vine.string().use(contact()).transform(parseContact)).optional(),
    services: vine.array(vine.string().trim().use(serviceName())).optional(),
    topics: vine.array(vine.string().use(topic())).optional(),
    modules: vine.string().use(moduleList()).optional(),
    adminEmail: vine.string().trim().regex(EMAIL).toLowerCase().optional().requiredIfAnyExists(['adminName', 'adminUsername']),
    adminName: vine.string().trim().minLength(1).optional().requiredIfExists('adminEmail'),
    adminUsername: vine
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9._-]{2,79}$/)
      .optional(),
  })
)

const ADMIN_NAME_MISSING = "Le nom de l'administrateur est obligatoire avec son courriel (--admin-name)."
const CONTACT_FORMAT = '« Libellé|Téléphone|Adresse|Courriel »'

/** `{{ value }}` is the answer as given (rules may have normalised it). */
export const setupMessages: Record<string, string> = {
  'name.required': 'Le nom de la commune est obligatoire.',
  'name.minLength': 'Le nom de la commune est obligatoire.',
  'name.maxLength': 'Le nom de la commune fait plus de 120 caractères.',
  'colorPrimary.hexColor': "La couleur principale « {{ value }} » n'est pas une couleur hexadécimale (exemple : #1f4e79).",
  'colorPrimaryContrast.hexColor':
    "La couleur du texte sur la couleur principale « {{ value }} » n'est pas une couleur hexadécimale (exemple : #1f4e79).",
  'colorAccent.hexColor': "La couleur d'accent « {{ value }} » n'est pas une couleur hexadécimale (exemple : #1f4e79).",
  'colorPrimary.contrast':
    'La couleur principale {{ color }} avec le texte {{ other }} a un contraste de {{ ratio }}:1, sous le minimum de {{ minimum }}:1 : essayez {{ better }}.',
  'colorAccent.contrast':
    "La couleur d'accent {{ color }} avec le texte {{ other }} a un contraste de {{ ratio }}:1, sous le minimum de {{ minimum }}:1 : essayez {{ better }}.",
  'logo.logo.missing': 'Le fichier du logo « {{ value }} » est introuvable.',
  'logo.logo.notFile': "Le logo « {{ value }} » n'est pas un fichier.",
  'logo.logo.size': 'Le logo « {{ value }} » dépasse 2 Mo.',
  'logo.logo.script': 'Le logo « {{ value }} » contient du script : refusé.',
  'logo.logo.format': "Le logo « {{ value }} » n'est ni un PNG, ni un JPEG, ni un SVG (extension .{{ extension }}).",
  'contacts.*.contact.label': `Contact « {{ value }} » : le libellé manque (format ${CONTACT_FORMAT}).`,
  'contacts.*.contact.phone': "Contact « {{ label }} » : le téléphone « {{ phone }} » n'est pas valide.",
  'contacts.*.contact.reach': 'Contact « {{ label }} » : indiquez au moins un téléphone ou une adresse.',
  'contacts.*.contact.email': "Contact « {{ label }} » : le courriel « {{ email }} » n'est pas valide.",
  'services.*.serviceName': 'Le service « {{ start }}… » a un nom trop long.',
  'topics.*.topic.empty': 'Le thème « {{ value }} » est vide.',
  'topics.*.topic.service':
    'Le thème « {{ topic }} » nomme un service inconnu : « {{ service }} » (services connus : « {{ known }} » ; ajoutez-le avec --service).',
  'adminEmail.regex': "L'adresse électronique « {{ value }} » n'est pas valide.",
  'adminName.required': ADMIN_NAME_MISSING,
  'adminName.minLength': ADMIN_NAME_MISSING,
  'adminEmail.required': "Le courriel de l'administrateur est obligatoire avec son nom ou son nom d'utilisateur (--admin-email).",
  'adminUsername.regex':
    "Le nom d'utilisateur « {{ value }} » n'est pas valide : de 3 à 80 lettres minuscules sans accent, chiffres, points, tirets ou soulignés.",
}

class SetupMessagesProvider extends SimpleMessagesProvider {
  getMessage(rawMessage: string, rule: string, field: FieldContext, args?: Record<string, any>) {
    return super.getMessage(rawMessage, rule, field, { value: field.parent?.[field.name], ...args })
  }
}

setupValidator.messagesProvider = new SetupMessagesProvider(setupMessages)
