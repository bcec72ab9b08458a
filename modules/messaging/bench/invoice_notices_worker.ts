/*
 * Run by hand (not a bench scenario): what an invoice run's notices cost the run when their mails
 * go through a mail server that takes some time per mail. Seeds N families, each with a guardian
 * whose account wants notices by mail, starts a local SMTP server that answers each mail after
 * BENCH_SMTP_DELAY_MS, then times the `billing:invoices-issued` event the invoice run awaits (its
 * notices written, their mails sent or queued) with the longest wait of another request of the
 * process, and, when the portal has a mail queue, the time the queue takes to send them all.
 * Prints the figures as JSON. BENCH_NOTICE_FAMILIES (default 2000), BENCH_SMTP_DELAY_MS (default 20).
 * Needs a migrated database in the environment (SQLITE_PATH or DB_CONNECTION=pg …) and mails to SMTP:
 *   SMTP_HOST=127.0.0.1 SMTP_PORT=2526 node --import=ts-node-maintained/register/esm modules/messaging/bench/invoice_notices_worker.ts
 */
import { startConsoleApp } from '../../../bench/console_app.js'
import { SMTPServer } from 'smtp-server'

const families = Number(process.env.BENCH_NOTICE_FAMILIES ?? 2000)
const delayMs = Number(process.env.BENCH_SMTP_DELAY_MS ?? 20)
let received = 0
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, _session, callback) {
    stream.resume()
    stream.on('end', () => setTimeout(() => (received++, callback()), delayMs))
  },
})
await new Promise<void>((resolve) => smtp.listen(Number(process.env.SMTP_PORT ?? 2526), '127.0.0.1', resolve))

const app = await startConsoleApp()

const { default: db } = await import('@adonisjs/lucid/services/db')
const { default: emitter } = await import('@adonisjs/core/services/emitter')
const { timedWithWaits } = await import('../../../bench/request_wait.js')
const queue = await import('#services/mail_queue').catch(() => null)

const now = new Date().toISOString().replace('T', ' ').slice(0, 19)
const run = Date.now()
if (!(await db.from('services').first())) await db.table('services').insert({ name: 'Service Enfance', position: 0, created_at: now })
const familyIds: number[] = []
for (let offset = 0; offset < families; offset += 250) {
  const batch = Array.from({ length: Math.min(250, families - offset) }, (_, index) => `AVIS-${run}-${offset + index}`)
  await db.transaction(async (trx) => {
    await trx.table('users').multiInsert(
      batch.map((reference) => ({ username: reference.toLowerCase(), email: `${reference.toLowerCase()}@exemple.fr`, full_name: 'Camille Banc', role: 'parent', state: 'active', created_at: now }))
    )
    await trx.table('families').multiInsert(batch.map((reference) => ({ reference, family_quotient: 800, regime: 'CAF', resident: true, created_at: now })))
    const users = new Map((await trx.from('users').whereIn('username', batch.map((reference) => reference.toLowerCase())).select('id', 'username')).map((row) => [row.username, Number(row.id)]))
    const ids = new Map((await trx.from('families').whereIn('reference', batch).select('id', 'reference')).map((row) => [row.reference, Number(row.id)]))
    await trx.table('guardians').multiInsert(
      batch.map((reference) => ({ family_id: ids.get(reference), user_id: users.get(reference.toLowerCase()), last_name: 'Banc', first_name: 'Camille', position: 1, created_at: now }))
    )
    familyIds.push(...batch.map((reference) => ids.get(reference)!))
  })
}

const invoices = familyIds.map((familyId, index) => ({ familyId, invoiceId: index + 1, invoiceNumber: `F2031-${run}-${index}`, totalCents: 4250, dueDate: '2031-04-15', month: '2031-03', directDebitOn: null }))
const event = await timedWithWaits(db, async () => {
  // The invoice run announces its invoices 200 at a time (a page of families) and awaits each announcement.
  for (let at = 0; at < invoices.length; at += 200) await emitter.emit('billing:invoices-issued', { invoices: invoices.slice(at, at + 200) })
})
const receivedDuringRun = received
const sending = queue ? await timedWithWaits(db, () => queue.default.drain()) : null

console.log(
  JSON.stringify({
    families,
    smtpDelayMs: delayMs,
    runSeconds: event.seconds,
    runLongestWaitMs: event.longestWaitMs,
    mailsSentDuringRun: receivedDuringRun,
    queueSendSeconds: sending?.seconds ?? null,
    queueLongestWaitMs: sending?.longestWaitMs ?? null,
    mailsReceived: received,
    client: db.connection().dialect.name,
  })
)
await app.terminate()
smtp.close()
