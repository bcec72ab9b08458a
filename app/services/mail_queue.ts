import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import mailer, { type PortalMail } from '#services/mailer'
import { insertMany } from '#core/bulk_insert'
import { dbTime, dbTimeOf } from '#core/db_time'
import { ConcurrencyLimit } from '#core/concurrency_limit'

const TABLE = 'mail_queue'
/** Mails a process takes at a time. */
const CLAIMED_AT_ONCE = 20
/** How long a process keeps the mails it took before another may take them (it stopped mid-way). */
const LEASE_MINUTES = 10
/** The wait before each new attempt, in minutes: after the 7th failure the mail is given up. */
const RETRY_MINUTES = [1, 5, 15, 60, 360, 1440]
/** How often the web server looks for mails written by other processes (a command, another server) or due again. */
const POLL_MS = 15_000
const DATE_MARK = '$dateTime'
/** A mail given up is kept this long (for /sante and the administrator), then deleted with its personal data. */
const FAILED_KEPT_DAYS = 30
/** A mail waiting longer than this is late (/sante warns). */
const LATE_MINUTES = 60

type QueuedRow = { id: number; to_address: string; subject: string; html_view: string; text_view: string; data: string; attempts: number }

/** The templates' data as JSON, its luxon dates kept as dates; a model (not plain data) is refused. */
export function mailDataToJson(data: Record<string, unknown> = {}): string {
  return JSON.stringify(data, function (this: Record<string, unknown>, key, value) {
    const original = this[key]
    if (DateTime.isDateTime(original)) return { [DATE_MARK]: original.toISO() }
    if (original && typeof original === 'object' && '$attributes' in original) {
      throw new Error(`courriel : « ${key} » est un modèle ; passez les seules valeurs que le gabarit affiche`)
    }
    return value
  })
}

export function mailDataFromJson(text: string): Record<string, unknown> {
  return JSON.parse(text, (_key, value) =>
    value && typeof value === 'object' && typeof value[DATE_MARK] === 'string' && Object.keys(value).length === 1
      ? DateTime.fromISO(value[DATE_MARK], { setZone: true })
      : value
  )
}

/**
 * The mails of notices, written to the database with what announces them, and sent after the
 * answer: a staff member's invoice run no longer waits for 20,000 mails, and a mail the mail
 * server refused or could not take is tried again (1 min, 5, 15, 1 h, 6 h, 24 h), then kept as
 * failed for 30 days. The web server sends them (every 15 s it looks for those written by other processes,
 * and forgets the mails given up 30 days ago);
 * `node ace mail:send-queued` sends them from the command line. Tests call `drain()`.
 * Several processes can send at once: each takes its mails under a lease (PostgreSQL: rows
 * locked, others skipped).
 */
export class MailQueue {
  #sending = new ConcurrencyLimit(5)
  #run: Promise<void> | null = null
  #again = false
  #timer: NodeJS.Timeout | null = null
  /** What this process did with the mails it took since it started. */
  readonly outcomes = { sent: 0, retried: 0, failed: 0 }

  /** Writes the mails to the queue, then sends them in the background in the web server. */
  async enqueue(mails: PortalMail[]): Promise<void> {
    if (!mails.length) return
    const client = db.connection()
    const now = dbTimeOf(client)
    await insertMany(
      client,
      TABLE,
      mails.map((mail) => ({
        to_address: mail.to,
        subject: mail.subject,
        html_view: mail.html,
        text_view: mail.text,
        data: mailDataToJson(mail.data),
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
      }))
    )
    if (this.#timer) this.wake()
  }

  /** The web server: sends what is due now and every POLL_MS, and forgets the mails given up long ago. */
  start() {
    if (this.#timer) return
    const poll = () => {
      this.forgetGivenUp().catch((error) => logger.error({ err: error }, 'file des courriels : purge interrompue'))
      this.wake()
    }
    this.#timer = setInterval(poll, POLL_MS)
    this.#timer.unref()
    poll()
  }

  stop() {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
  }

  wake() {
    this.drain().catch((error) => logger.error({ err: error }, 'file des courriels : envoi interrompu'))
  }

  /** Sends every mail due now (not those waiting for a later attempt); resolves when none is left. */
  drain(): Promise<void> {
    if (this.#run) {
      this.#again = true
      return this.#run
    }
    this.#run = (async () => {
      try {
        do {
          this.#again = false
          for (let batch = await this.#claim(); batch.length; batch = await this.#claim()) {
            await Promise.all(batch.map((row) => this.#sending.run(() => this.#deliver(row))))
          }
        } while (this.#again)
      } finally {
        this.#run = null
      }
    })()
    return this.#run
  }

  /** Deletes the mails given up more than FAILED_KEPT_DAYS ago, with the personal data they hold. */
  async forgetGivenUp() {
    await db.from(TABLE).where('failed_at', '<', dbTime(DateTime.utc().minus({ days: FAILED_KEPT_DAYS }))).delete()
  }

  /** Mails waiting to be sent (due or not), those of them waiting for more than LATE_MINUTES, and mails given up. */
  async counts(): Promise<{ waiting: number; late: number; failed: number }> {
    const lateBefore = dbTime(DateTime.utc().minus({ minutes: LATE_MINUTES }))
    const [row] = await db
      .from(TABLE)
      .select(
        db.raw('count(*) as total'),
        db.raw('count(failed_at) as failed'),
        db.raw('count(case when failed_at is null and created_at < ? then 1 end) as late', [lateBefore])
      )
    const failed = Number(row?.failed ?? 0)
    return { waiting: Number(row?.total ?? 0) - failed, late: Number(row?.late ?? 0), failed }
  }

  async #claim(): Promise<QueuedRow[]> {
    const now = DateTime.utc()
    return db.transaction(async (trx) => {
      const due = trx
        .from(TABLE)
        .select('*')
        .whereNull('failed_at')
        .where('next_attempt_at', '<=', dbTimeOf(trx, now))
        .where((query) => query.whereNull('locked_until').orWhere('locked_until', '<', dbTimeOf(trx, now)))
        .orderBy('id')
        .limit(CLAIMED_AT_ONCE)
      if (trx.dialect.name === 'postgres') due.forUpdate().skipLocked()
      const rows = (await due) as QueuedRow[]
      if (!rows.length) return []
      const ids = rows.map((row) => row.id)
      await trx
        .from(TABLE)
        .whereIn('id', ids)
        .update({ locked_until: dbTimeOf(trx, now.plus({ minutes: LEASE_MINUTES })), attempts: trx.knexRawQuery('attempts + 1') })
      return rows.map((row) => ({ ...row, attempts: Number(row.attempts) + 1 }))
    })
  }

  async #deliver(row: QueuedRow) {
    try {
      await mailer.send({ to: row.to_address, subject: row.subject, html: row.html_view, text: row.text_view, data: mailDataFromJson(row.data) })
      await db.from(TABLE).where('id', row.id).delete()
      this.outcomes.sent++
    } catch (error) {
      const message = String((error as Error)?.message ?? error).slice(0, 2000)
      const retryIn = RETRY_MINUTES[Number(row.attempts) - 1]
      if (retryIn === undefined) {
        logger.error({ err: error, mailId: row.id, template: row.html_view }, 'file des courriels : abandonné après le dernier essai')
        await db.from(TABLE).where('id', row.id).update({ failed_at: dbTime(), locked_until: null, last_error: message })
        this.outcomes.failed++
      } else {
        logger.warn({ err: error, mailId: row.id, template: row.html_view }, `file des courriels : nouvel essai dans ${retryIn} min`)
        await db
          .from(TABLE)
          .where('id', row.id)
          .update({ next_attempt_at: dbTime(DateTime.utc().plus({ minutes: retryIn })), locked_until: null, last_error: message })
        this.outcomes.retried++
      }
    }
  }
}

const mailQueue = new MailQueue()
export default mailQueue

