import db from '@adonisjs/lucid/services/db'
/* Helpers of the billing suites (not a spec file); the data itself comes from ./factories.ts. */
import { familyWithInvoice } from '#modules/billing/tests/factories'

/** The PayFiP address on the hand-off page the portal shows after "PAYER". */
export function payfipLink(html: string): string {
  const match = /href="([^"]+)" data-payfip-link/.exec(html)
  if (!match) throw new Error('Pas de lien vers PayFiP dans la page')
  return match[1].replace(/&amp;/g, '&')
}

/**
 * Removes what a test group committed outside a global transaction (families with their
 * invoices and payments, their accounts, activities), so that later suites of the same
 * database start clean; the invoice counter goes back to the highest number left.
 */
export async function removeCommitted(created: { familyIds: number[]; userIds: number[]; activityIds: number[] }) {
  const { default: db } = await import('@adonisjs/lucid/services/db')
  const { familyIds, userIds, activityIds } = created
  if (familyIds.length) {
    const invoiceIds = (await db.from('invoices').whereIn('family_id', familyIds).select('id')).map((row) => Number(row.id))
    await db.from('payments').whereIn('family_id', familyIds).delete()
    await db.from('overpayments').whereIn('family_id', familyIds).delete()
    await db.from('payment_operations').whereIn('family_id', familyIds).delete()
    await db.from('credit_notes').whereIn('family_id', familyIds).delete()
    const batchIds = (await db.from('sepa_debit_lines').whereIn('family_id', familyIds).distinct('batch_id')).map((row) => Number(row.batch_id))
    await db.from('sepa_debit_lines').whereIn('family_id', familyIds).delete()
    if (batchIds.length) {
      const kept = (await db.from('sepa_debit_lines').whereIn('batch_id', batchIds).distinct('batch_id')).map((row) => Number(row.batch_id))
      const emptied = batchIds.filter((id) => !kept.includes(id))
      await db.from('audit_logs').where('subject_type', 'sepa_debit_batch').whereIn('subject_id', emptied.map(String)).delete()
      await db.from('sepa_debit_batches').whereIn('id', emptied).delete()
    }
    await db.from('invoices').whereIn('family_id', familyIds).update({ debit_mandate_id: null })
    await db.from('sepa_mandates').whereIn('family_id', familyIds).update({ replaced_by_id: null })
    await db.from('sepa_mandates').whereIn('family_id', familyIds).delete()
    if (invoiceIds.length) {
      await db.from('invoice_lines').whereIn('invoice_id', invoiceIds).delete()
      await db.from('audit_logs').where('subject_type', 'invoice').whereIn('subject_id', invoiceIds.map(String)).delete()
    }
    await db.from('invoices').whereIn('family_id', familyIds).delete()
    // The signed mandates' PDFs: their rows go with the families, their files are removed here.
    const { default: drive } = await import('@adonisjs/drive/services/main')
    for (const row of await db.from('family_documents').whereIn('family_id', familyIds).select('storage_key')) await drive.use().delete(row.storage_key)
    await db.from('families').whereIn('id', familyIds).delete()
  }
  if (activityIds.length) await db.from('activities').whereIn('id', activityIds).delete()
  const type = await db.from('activity_types').where('name', 'Facturation (essais)').first()
  if (type && !(await db.from('activities').where('activity_type_id', type.id).first())) await db.from('activity_types').where('id', type.id).delete()
  if (userIds.length) await db.from('users').whereIn('id', userIds).delete()
  await db.from('audit_logs').where('subject_type', 'billing_month').delete()
  for (const row of await db.from('invoice_sequences').where('kind', 'invoice')) {
    const max = await db.from('invoices').where('year', row.year).max('sequence as top').first()
    await db.from('invoice_sequences').where({ kind: 'invoice', year: row.year }).update({ last: Number(max?.top ?? 0) })
  }
}

/**
 * For groups that commit (no global transaction): every family with an invoice made through
 * it is remembered, and `remove()` deletes them all at the group's end.
 */
export function committedFixtures() {
  const created = { familyIds: [] as number[], userIds: [] as number[], activityIds: [] as number[] }
  return {
    created,
    async familyWithInvoice(...args: Parameters<typeof familyWithInvoice>) {
      const fixture = await familyWithInvoice(...args)
      created.familyIds.push(fixture.family.id)
      if (fixture.parent) created.userIds.push(fixture.parent.id)
      created.activityIds.push(fixture.activity.id)
      return fixture
    },
    remove: () => removeCommitted(created),
  }
}

/** The notices (inbox messages sent by the portal) of a family, oldest first. */
export function familyNotices(familyId: number) {
  return db
    .from('messaging_conversations as conversations')
    .join('messaging_messages as messages', 'messages.conversation_id', 'conversations.id')
    .where('conversations.family_id', familyId)
    .where('conversations.kind', 'notice')
    .orderBy('conversations.id')
    .select('conversations.subject', 'messages.body')
}
