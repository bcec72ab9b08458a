import db from '@adonisjs/lucid/services/db'
import { PAYLOAD, startTags } from '#tests/helpers/markup_injection'
import { postForms } from '#tests/helpers/html_forms'
import { tableNames } from '#tests/helpers/route_sweep'

/**
 * What the attribute-injection sweep needs beyond tests/helpers/route_sweep.ts: the free text
 * users type (stored as the payload), real ids for each route parameter, and the query
 * parameters each page reads.
 */

/** Columns a parent or an agent types freely, by table. Lengths fit PostgreSQL's varchar limits. */
export const TYPED_COLUMNS: Record<string, string[]> = {
  families: ['address', 'city'],
  guardians: ['last_name', 'first_name'],
  children: ['last_name', 'first_name', 'school', 'diet_needs', 'allergies', 'doctor_name'],
  authorized_persons: ['last_name', 'first_name', 'relationship'],
  family_documents: ['name', 'refusal_reason'],
  family_history_entries: ['text'],
  users: ['full_name'],
  activity_types: ['name', 'description'],
  activities: ['name', 'structure_name'],
  activity_days: ['closed_reason'],
  registrations: ['refusal_reason'],
  planning_bookings: ['on_behalf_reason', 'absence_reason'],
  planning_closures: ['reason'],
  planning_school_holidays: ['name'],
  invoices: ['family_name', 'family_address'],
  invoice_lines: ['child_name', 'activity_name', 'label'],
  credit_notes: ['reason'],
  services: ['name'],
  service_topics: ['name'],
  messaging_conversations: ['topic_name', 'subject'],
  messaging_messages: ['author_name', 'body'],
  messaging_attachments: ['name'],
  news_articles: ['title', 'summary', 'image_alt'],
  news_pages: ['title'],
  news_documents: ['title', 'file_name'],
  news_care_structures: ['name', 'address', 'age_groups'],
  news_canteen_menus: ['starter', 'main_course', 'dessert', 'allergens'],
}

/** Puts the payload in every typed column of every row (then the row's id, for unique names). */
export async function storePayloadEverywhere() {
  const tables = new Set(await tableNames())
  for (const [table, columns] of Object.entries(TYPED_COLUMNS)) {
    if (!tables.has(table)) continue
    for (const { id } of await db.from(table).select('id')) {
      await db.from(table).where('id', id).update(Object.fromEntries(columns.map((column) => [column, `${PAYLOAD} ${id}`])))
    }
  }
}

/** The query parameters each page's controller or template reads (grep `request.input`, `request.qs`). */
export const QUERY_READS: Record<string, string[]> = {
  '/simulateur-tarifaire': ['qf', 'annualResources', 'monthlyBenefits', 'household', 'children', 'disabledChildren', 'resident', 'regime', 'rank'],
  '/messagerie/nouveau': ['service', 'theme', 'objet'],
  '/messagerie/envoyes': ['page'],
  '/dossier/demande': ['objet'],
  '/dossier/demarches': ['page'],
  '/gestion/familles': ['q', 'page'],
  '/gestion/familles/:id': ['page'],
  '/gestion/comptes': ['q', 'state', 'role', 'page'],
  '/inscriptions': ['enfant'],
  '/inscriptions/demande': ['type', 'enfant'],
  '/gestion/inscriptions': ['activite', 'etat', 'date', 'page'],
  '/gestion/inscriptions/activites': ['type'],
  '/gestion/messagerie': ['statut', 'non_lus', 'service', 'theme', 'famille', 'du', 'au', 'moi', 'page'],
  '/actualites': ['page'],
  '/gestion/actualites': ['page'],
  '/infos-pratiques': ['semaine'],
  '/gestion/menus': ['semaine'],
  '/gestion/menus/nouveau': ['jour'],
  '/gestion/menus/semaine': ['semaine', 'ecole'],
  '/gestion/pages/nouvelle': ['slug'],
  '/planning': ['vue', 'date', 'par', 'activite'],
  '/gestion/facturation': ['month', 'page'],
  '/facturation/paiement/retour': ['idOp', 'idop'],
}

export const ALL_QUERY_NAMES = [...new Set(Object.values(QUERY_READS).flat())]

/** Query parameters the page itself offers: fields of its GET forms, keys of its links to itself. */
export function queryNamesOnPage(html: string, path: string): string[] {
  const names = new Set<string>()
  for (const [, open, body] of html.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form>/gi)) {
    const attributes = Object.fromEntries(startTags(open)[0]?.attributes ?? [])
    const action = (attributes.action ?? path).split('?')[0]
    if ((attributes.method ?? 'get').toLowerCase() !== 'get' || (action && action !== path)) continue
    for (const tag of startTags(body)) {
      const name = tag.attributes.find(([key]) => key === 'name')?.[1]
      if (name && ['input', 'select', 'textarea'].includes(tag.name)) names.add(name)
    }
  }
  for (const tag of startTags(html)) {
    const href = tag.name === 'a' ? tag.attributes.find(([key]) => key === 'href')?.[1] : undefined
    if (href?.startsWith(path + '?')) for (const key of new URLSearchParams(href.slice(path.length + 1)).keys()) names.add(key)
  }
  return [...names]
}

const SEGMENT_TABLES: Record<string, string> = {
  'familles': 'families',
  'enfants': 'children',
  'personnes-autorisees': 'authorized_persons',
  'documents': 'family_documents',
  'actualites': 'news_articles',
  'pages': 'news_pages',
  'structures': 'news_care_structures',
  'menus': 'news_canteen_menus',
  'inscriptions': 'registrations',
  'types': 'activity_types',
  'activites': 'activities',
  'absences': 'planning_bookings',
  'jours': 'activity_days',
  'facturation': 'invoices',
  'factures': 'invoices',
  'messagerie': 'messaging_conversations',
  'pieces-jointes': 'messaging_attachments',
}

const FAMILY_SCOPED = new Set(['children', 'authorized_persons', 'family_documents', 'registrations', 'planning_bookings', 'invoices', 'messaging_conversations'])

function tableOf(pattern: string, segment: string): string | undefined {
  if (segment === 'documents' && pattern.startsWith('/infos-pratiques')) return 'news_documents'
  return SEGMENT_TABLES[segment]
}

/** Up to `limit` real values for each parameter of the pattern, from the given family's rows; the payload when none. */
export async function realParams(pattern: string, familyId: number, limit = 2): Promise<Array<Record<string, string>>> {
  const segments = pattern.split('/')
  const candidates: Record<string, string[]> = {}
  for (const [index, segment] of segments.entries()) {
    if (!segment.startsWith(':')) continue
    const name = segment.slice(1).replace(/\?$/, '')
    const table = tableOf(pattern, segments[index - 1])
    const column = name === 'slug' ? 'slug' : 'id'
    let values: string[] = []
    if (table && name !== 'token') {
      const query = db.from(table).select(column).orderBy('id', 'desc').limit(limit)
      if (table === 'families') query.where('id', familyId)
      if (FAMILY_SCOPED.has(table)) query.where('family_id', familyId)
      if (table === 'messaging_attachments') {
        query.whereIn('message_id', db.from('messaging_messages').select('id').whereIn('conversation_id', db.from('messaging_conversations').select('id').where('family_id', familyId)))
      }
      values = (await query).map((row: any) => String(row[column]))
    }
    candidates[name] = values.length ? values : [PAYLOAD]
  }
  const width = Math.max(1, ...Object.values(candidates).map((list) => list.length))
  return Array.from({ length: width }, (_, i) => Object.fromEntries(Object.entries(candidates).map(([name, list]) => [name, list[Math.min(i, list.length - 1)]])))
}

export function fillParams(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/:([A-Za-z_]+)\??/g, (_, name: string) => encodeURIComponent(params[name] ?? PAYLOAD))
}

export function withQuery(url: string, names: string[]): string {
  if (!names.length) return url
  return url + (url.includes('?') ? '&' : '?') + names.map((name) => `${encodeURIComponent(name)}=${encodeURIComponent(PAYLOAD)}`).join('&')
}

const TYPED_INPUTS = new Set(['text', 'search', 'email', 'tel', 'url', 'number', 'date', 'password', 'month', 'week', 'time'])

/** The page's POST forms that take typed text (forms of buttons alone are actions, left out), with their field names. */
export function typedPostForms(html: string): Array<{ action: string; fields: string[] }> {
  return postForms(html)
    .filter((form) => Object.values(form.types).some((type) => type === 'textarea' || TYPED_INPUTS.has(type)))
    .map((form) => ({ action: form.action, fields: Object.keys(form.types).filter((name) => !name.endsWith('[]')) }))
}
