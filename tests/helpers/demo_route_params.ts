import db from '@adonisjs/lucid/services/db'
import { dbTime } from '#core/db_time'
import User from '#modules/accounts/models/user'
import tokenService from '#modules/accounts/services/token_service'
import feedService from '#modules/planning/services/feed_service'
import { createUser } from '#tests/helpers/users'

export type Values = Record<string, string | number>

/** The demo parent the parent pages are visited as, and the family whose ids fill them. */
export interface DemoFamily {
  parent: User
  familyId: number
}

async function idOf(label: string, query: any, column = 'id'): Promise<string | number> {
  const row = await query.select(column).orderBy('id').first()
  if (!row) throw new Error(`no demo row for ${label}`)
  return row[column]
}

const familyDoc = (familyId: number) => db.from('family_documents').where('family_id', familyId)
const familyConversation = (familyId: number) => db.from('messaging_conversations').where('family_id', familyId)
const attachmentOf = (familyId: number) =>
  db
    .from('messaging_attachments')
    .join('messaging_messages', 'messaging_messages.id', 'messaging_attachments.message_id')
    .join('messaging_conversations', 'messaging_conversations.id', 'messaging_messages.conversation_id')
    .where('messaging_conversations.family_id', familyId)
    .select('messaging_attachments.id as id')
    .orderBy('messaging_attachments.id')
    .first()

/** The demo has no fetched QF, and the sweeps run without API Particulier: 0 (a 404 either way) unless a test made one. */
async function fetchedQuotientId(familyId: number) {
  return (await db.from('quotient_fetches').where('family_id', familyId).select('id').orderBy('id').first())?.id ?? 0
}

async function attachmentId(familyId: number) {
  const row = await attachmentOf(familyId)
  if (!row) throw new Error('no demo message attachment')
  return row.id
}

/**
 * How each parameterised route gets real values from the demo commune: a route missing here
 * makes the sweep fail, so a new route with a parameter must say which row it shows.
 */
const FILLERS: Record<string, (demo: DemoFamily) => Promise<Values>> = {
  '/mot-de-passe/reinitialiser/:token': async () => {
    const user = await User.findByOrFail('username', 'parent.martin')
    return { token: (await tokenService.issue(user.id, 'password_reset', { hours: 1 })).token }
  },
  '/activation/:token': async () => {
    const user = await createUser('parent', { state: 'pending', password: null as any })
    return { token: (await tokenService.issue(user.id, 'activation', { hours: 96 })).token }
  },
  '/connexion/franceconnect/relier/:token': async ({ parent }) => ({
    token: (await tokenService.issue(parent.id, 'franceconnect_link', { hours: 24 }, { payload: 'b6048e95bb134ec5b1d1e1fa69f287172e91722b9354d637a1bcf2ebb0fd2ef5v1' })).token,
  }),
  '/mon-compte/email/confirmer/:token': async ({ parent }) => ({
    token: (await tokenService.issue(parent.id, 'email_change', { hours: 24 }, { payload: 'nouvelle@exemple.test' })).token,
  }),
  '/dossier/personnes-autorisees/:id/modifier': async ({ familyId }) => ({
    id: await idOf('authorized person', db.from('authorized_persons').where('family_id', familyId)),
  }),
  '/dossier/enfants/:id/photo': async ({ familyId }) => ({ id: await idOf('child photo', db.from('child_photos').where('family_id', familyId), 'child_id') }),
  '/dossier/enfants/:id/photo/modifier': async ({ familyId }) => ({ id: await idOf('child', db.from('children').where('family_id', familyId)) }),
  '/dossier/personnes-autorisees/:id/acces': async ({ familyId }) => ({
    id: await idOf('authorized person', db.from('authorized_persons').where('family_id', familyId)),
  }),
  '/dossier/personnes-autorisees/:id/acces/revoquer': async ({ familyId }) => ({
    id: await idOf('authorized person', db.from('authorized_persons').where('family_id', familyId)),
  }),
  '/dossier/documents/:id/telecharger': async ({ familyId }) => ({ id: await idOf('family document', familyDoc(familyId)) }),
  '/dossier/quotient-familial/resultat/:id': async ({ familyId }) => ({ id: await fetchedQuotientId(familyId) }),
  '/dossier/quotient-familial/resultat/:id/confirmer': async ({ familyId }) => ({ id: await fetchedQuotientId(familyId) }),
  '/gestion/familles/:id': async ({ familyId }) => ({ id: familyId }),
  '/gestion/familles/:id/modifier': async ({ familyId }) => ({ id: familyId }),
  '/gestion/familles/:id/enfants/nouveau': async ({ familyId }) => ({ id: familyId }),
  '/gestion/familles/:id/enfants/:childId/modifier': async ({ familyId }) => ({
    id: familyId,
    childId: await idOf('child', db.from('children').where('family_id', familyId)),
  }),
  '/gestion/familles/:id/enfants/:childId/garde-alternee': async ({ familyId }) => ({
    id: familyId,
    childId: await idOf('child', db.from('children').where('family_id', familyId)),
  }),
  '/gestion/familles/:id/enfants/:childId/garde-alternee/fin': async ({ familyId }) => ({
    id: familyId,
    childId: await idOf('child', db.from('children').where('family_id', familyId)),
  }),
  '/gestion/familles/:id/responsables/:guardianId/identite-de-naissance': async ({ familyId }) => ({
    id: familyId,
    guardianId: await idOf('guardian', db.from('guardians').where('family_id', familyId)),
  }),
  '/gestion/familles/:id/personnes-autorisees/nouvelle': async ({ familyId }) => ({ id: familyId }),
  '/gestion/familles/:id/personnes-autorisees/:personId/modifier': async ({ familyId }) => ({
    id: familyId,
    personId: await idOf('authorized person', db.from('authorized_persons').where('family_id', familyId)),
  }),
  '/gestion/familles/:id/documents/:documentId/telecharger': async ({ familyId }) => ({
    id: familyId,
    documentId: await idOf('family document', familyDoc(familyId)),
  }),
  '/gestion/familles/:id/documents/:documentId/refuser': async ({ familyId }) => ({
    id: familyId,
    documentId: await idOf('family document', familyDoc(familyId).where('origin', 'family')),
  }),
  '/actualites/:slug': async () => ({ slug: await idOf('published article', published(), 'slug') }),
  '/actualites/:slug/image': async () => ({ slug: await idOf('article with image', published().whereNotNull('image_key'), 'slug') }),
  '/infos-pratiques/documents/:id/telecharger': async () => ({ id: await idOf('news document', db.from('news_documents')) }),
  '/pages/:slug': async () => ({ slug: await idOf('commune page', db.from('news_pages').where('slug', 'cgu'), 'slug') }),
  '/gestion/actualites/:id/modifier': async () => ({ id: await idOf('article', db.from('news_articles')) }),
  '/gestion/actualites/:id/apercu': async () => ({ id: await idOf('article', db.from('news_articles')) }),
  '/gestion/actualites/:id/image': async () => ({ id: await idOf('article with image', db.from('news_articles').whereNotNull('image_key')) }),
  '/gestion/actualites/:id/supprimer': async () => ({ id: await idOf('article', db.from('news_articles')) }),
  '/gestion/structures/:id/modifier': async () => ({ id: await idOf('care structure', db.from('news_care_structures')) }),
  '/gestion/menus/:id/modifier': async () => ({ id: await idOf('canteen menu', db.from('news_canteen_menus')) }),
  '/gestion/pages/:id/modifier': async () => ({ id: await idOf('commune page', db.from('news_pages')) }),
  '/inscriptions/:id/annuler': async ({ familyId }) => ({
    id: await idOf('validated registration', db.from('registrations').where('family_id', familyId).where('state', 'validated')),
  }),
  '/gestion/inscriptions/:id/refuser': async () => ({ id: await idOf('requested registration', db.from('registrations').where('state', 'requested')) }),
  '/gestion/inscriptions/:id/annuler': async () => ({ id: await idOf('validated registration', db.from('registrations').where('state', 'validated')) }),
  '/gestion/inscriptions/types/:id/modifier': async () => ({ id: await idOf('activity type', db.from('activity_types')) }),
  '/gestion/inscriptions/activites/:id': async () => ({ id: await idOf('activity', db.from('activities')) }),
  '/gestion/inscriptions/activites/:id/modifier': async () => ({ id: await idOf('activity', db.from('activities')) }),
  '/gestion/inscriptions/activites/:id/export.csv': async () => ({ id: await idOf('activity', db.from('activities')) }),
  '/planning/calendrier/:token': async ({ familyId }) => ({ token: await feedService.renew(familyId) }),
  '/planning/absences/:id': async ({ familyId }) => ({ id: await idOf('booking', db.from('planning_bookings').where('family_id', familyId)) }),
  '/planning/reservations-regulieres/:id': async ({ familyId }) => ({
    id: await idOf('active weekly pattern', db.from('planning_weekly_patterns').where('family_id', familyId).whereNull('stopped_at')),
  }),
  '/planning/places-proposees/:id': async ({ familyId }) => ({ id: await idOf('waiting-list offer', db.from('planning_waitlist_offers').where('family_id', familyId)) }),
  '/planning/places-proposees/:id/refuser': async ({ familyId }) => ({ id: await idOf('waiting-list offer', db.from('planning_waitlist_offers').where('family_id', familyId)) }),
  '/gestion/planning/activites/:id': async () => ({ id: await idOf('activity with days', db.from('activities').whereIn('id', db.from('activity_days').select('activity_id'))) }),
  '/gestion/planning/jours/:id': async () => ({ id: await idOf('activity day', db.from('activity_days').whereIn('id', db.from('planning_bookings').select('activity_day_id'))) }),
  '/facturation/:id': async ({ familyId }) => ({ id: await idOf('invoice', db.from('invoices').where('family_id', familyId)) }),
  '/facturation/:id/pdf': async ({ familyId }) => ({ id: await idOf('invoice', db.from('invoices').where('family_id', familyId)) }),
  '/gestion/facturation/factures/:id': async () => ({ id: await idOf('invoice', db.from('invoices')) }),
  '/gestion/facturation/factures/:id/pdf': async () => ({ id: await idOf('invoice', db.from('invoices')) }),
  '/gestion/facturation/titres-pes/:id': async () => ({ id: await demoPesExport() }),
  '/gestion/facturation/prelevements/lots/:id/fichier': async () => ({ id: await demoDebitBatch() }),
  '/messagerie/pieces-jointes/:id': async ({ familyId }) => ({ id: await attachmentId(familyId) }),
  '/messagerie/:id': async ({ familyId }) => ({ id: await idOf('conversation', familyConversation(familyId)) }),
  '/gestion/messagerie/pieces-jointes/:id': async ({ familyId }) => ({ id: await attachmentId(familyId) }),
  '/gestion/messagerie/:id': async ({ familyId }) => ({ id: await idOf('conversation', familyConversation(familyId)) }),
}

/** A PES V2 file of the demo: the first one, or the export of the demo invoices' month. */
async function demoPesExport() {
  const existing = await db.from('pes_exports').orderBy('id').first()
  if (existing) return existing.id
  const { default: pesExportService } = await import('#modules/billing/services/pes/pes_export_service')
  const invoice = await db.from('invoices').orderBy('id').first()
  if (!invoice) throw new Error('no demo invoice to export as PES V2')
  return (await pesExportService.exportMonth(invoice.month, null)).id
}

/** A SEPA debit file of the demo: the first one, or the batch of the demo's month under debit. */
async function demoDebitBatch() {
  const existing = await db.from('sepa_debit_batches').orderBy('id').first()
  if (existing) return existing.id
  const { default: debitBatchService } = await import('#modules/billing/services/sepa/debit_batch_service')
  const invoice = await db.from('invoices').whereNotNull('debit_mandate_id').orderBy('id').first()
  if (!invoice) throw new Error('no demo invoice under direct debit')
  return (await debitBatchService.create(invoice.month)).batch.id
}

function published() {
  return db.from('news_articles').whereNotNull('published_at').where('published_at', '<=', dbTime())
}

/** Real values for the route's parameters; throws, naming the route, when it cannot. */
export async function demoParams(pattern: string, demo: DemoFamily): Promise<Values> {
  const filler = FILLERS[pattern]
  if (!filler) throw new Error(`${pattern}: no demo value for its parameters (tests/helpers/demo_route_params.ts)`)
  try {
    return await filler(demo)
  } catch (error) {
    throw new Error(`${pattern}: ${(error as Error).message}`)
  }
}

/** The pattern with each `:param` replaced by its value (URL-encoded). */
export function fillValues(pattern: string, values: Values): string {
  return pattern.replace(/:([A-Za-z_]+)\??/g, (_, name: string) => {
    if (values[name] === undefined) throw new Error(`${pattern}: no value for :${name}`)
    return encodeURIComponent(String(values[name]))
  })
}
