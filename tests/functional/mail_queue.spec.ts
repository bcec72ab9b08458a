import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import mailer, { type PortalMail } from '#services/mailer'
import mailQueue, { MailQueue, mailDataFromJson, mailDataToJson } from '#services/mail_queue'
import { dbTime } from '#core/db_time'
import { formatDateTime, toDateTime } from '#core/format'
import { User } from '#modules/accounts/index'
import { mailsTo } from '#modules/accounts/tests/helpers'
import { runAce, startServer } from '#tests/helpers/processes'

/*
 * The mail queue (#services/mail_queue): notices' mails are written to the database and sent
 * after the answer, tried again when the mail server fails, never twice when several processes
 * send, and sent by the web server by itself.
 */

const PORT = Number(process.env.PORT ?? 3334) + 63

function passwordMail(to: string, expiresAt: DateTime = DateTime.utc().plus({ hours: 1 })): PortalMail {
  return {
    to,
    subject: 'Réinitialisation de votre mot de passe',
    html: 'accounts::emails/password_reset',
    text: 'accounts::emails/password_reset_text',
    data: { fullName: 'Marie Essai', username: 'marie.essai', url: 'http://localhost/mot-de-passe/jeton', expiresAt },
  }
}

type Sent = Parameters<typeof mailer.send>[0]

/** Replaces the mailer's send for the test: records each mail, or throws while `refusing()` says so. */
function recordSends(cleanup: (fn: () => void) => void, refusing: () => boolean = () => false, delayMs = 0) {
  const sent: Sent[] = []
  const original = mailer.send
  mailer.send = async (message) => {
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs))
    if (refusing()) throw new Error('550 boîte pleine')
    sent.push(message)
    return undefined as unknown as Awaited<ReturnType<typeof original>>
  }
  cleanup(() => void (mailer.send = original))
  return sent
}

async function queued() {
  return db.from('mail_queue').orderBy('id')
}

async function makeDue() {
  await db.from('mail_queue').update({ next_attempt_at: dbTime(DateTime.utc().minus({ seconds: 1 })) })
}

test.group('File des courriels', (group) => {
  group.each.setup(async () => {
    await db.from('mail_queue').delete()
    return async () => void (await db.from('mail_queue').delete())
  })

  test('a mail the mail server refuses is tried again a minute later, then sent; after its 7th failure it is given up, and deleted 30 days later', async ({ assert, cleanup }) => {
    let refuse = true
    const sent = recordSends(cleanup, () => refuse)
    await mailQueue.enqueue([passwordMail('refus@exemple.fr')])

    await mailQueue.drain()
    let [row] = await queued()
    assert.equal(row.attempts, 1)
    assert.equal(row.last_error, '550 boîte pleine')
    assert.isNull(row.failed_at)
    assert.isNull(row.locked_until)
    const retryIn = toDateTime(row.next_attempt_at)!.diffNow('seconds').seconds
    assert.closeTo(retryIn, 60, 5)

    // Not due yet: another pass leaves it alone.
    await mailQueue.drain()
    assert.equal((await queued())[0].attempts, 1)

    refuse = false
    await makeDue()
    await mailQueue.drain()
    assert.lengthOf(await queued(), 0)
    assert.deepEqual(
      sent.map((mail) => mail.to),
      ['refus@exemple.fr']
    )

    refuse = true
    await mailQueue.enqueue([passwordMail('jamais@exemple.fr')])
    for (let attempt = 1; attempt <= 7; attempt++) {
      await makeDue()
      await mailQueue.drain()
    }
    ;[row] = await queued()
    assert.equal(row.attempts, 7)
    assert.isNotNull(row.failed_at)
    assert.equal(row.last_error, '550 boîte pleine')
    await makeDue()
    await mailQueue.drain()
    assert.equal((await queued())[0].attempts, 7, 'a mail given up is not tried again')
    assert.deepInclude(await mailQueue.counts(), { waiting: 0, late: 0, failed: 1 })

    // Kept 30 days for the administrator, then deleted with the personal data it holds.
    await db.from('mail_queue').update({ failed_at: dbTime(DateTime.utc().minus({ days: 29 })) })
    await mailQueue.forgetGivenUp()
    assert.lengthOf(await queued(), 1)
    await db.from('mail_queue').update({ failed_at: dbTime(DateTime.utc().minus({ days: 31 })) })
    await mailQueue.forgetGivenUp()
    assert.lengthOf(await queued(), 0)
  })

  test('a mail another process is sending is left to it; once its lease has run out it is sent, once', async ({ assert, cleanup }) => {
    const sent = recordSends(cleanup)
    await mailQueue.enqueue([passwordMail('bail@exemple.fr')])
    await db.from('mail_queue').update({ locked_until: dbTime(DateTime.utc().plus({ minutes: 5 })) })
    await mailQueue.drain()
    assert.lengthOf(sent, 0)
    assert.deepInclude(await mailQueue.counts(), { waiting: 1, late: 0, failed: 0 })
    // Waiting for more than an hour: late (/sante warns).
    await db.from('mail_queue').update({ created_at: dbTime(DateTime.utc().minus({ minutes: 61 })) })
    assert.deepInclude(await mailQueue.counts(), { waiting: 1, late: 1, failed: 0 })

    await db.from('mail_queue').update({ locked_until: dbTime(DateTime.utc().minus({ seconds: 1 })) })
    await Promise.all([mailQueue.drain(), mailQueue.drain()])
    assert.deepEqual(
      sent.map((mail) => mail.to),
      ['bail@exemple.fr']
    )
    assert.lengthOf(await queued(), 0)
  })

  test('two processes sending at once each take their own mails: 45 mails, each sent once', async ({ assert, cleanup }) => {
    const sent = recordSends(cleanup, () => false, 5)
    const addresses = Array.from({ length: 45 }, (_, index) => `parent${index}@exemple.fr`)
    await mailQueue.enqueue(addresses.map((address) => passwordMail(address)))
    await Promise.all([new MailQueue().drain(), new MailQueue().drain()])
    assert.sameMembers(
      sent.map((mail) => mail.to),
      addresses
    )
    assert.lengthOf(await queued(), 0)
  })

  test('the data keeps its dates as dates; a model in the data is refused before anything is written', async ({ assert, cleanup }) => {
    const expiresAt = DateTime.fromISO('2026-09-01T16:30:00Z')
    const back = mailDataFromJson(mailDataToJson({ expiresAt, count: 3, nested: { at: expiresAt } }))
    assert.isTrue(DateTime.isDateTime(back.expiresAt))
    assert.equal((back.expiresAt as DateTime).toMillis(), expiresAt.toMillis())
    assert.isTrue(DateTime.isDateTime((back.nested as { at: DateTime }).at))
    assert.equal(back.count, 3)

    const sent = recordSends(cleanup)
    await mailQueue.enqueue([passwordMail('date@exemple.fr', expiresAt)])
    await mailQueue.drain()
    assert.isTrue(DateTime.isDateTime(sent[0].data!.expiresAt))
    assert.equal(formatDateTime(sent[0].data!.expiresAt as DateTime), formatDateTime(expiresAt))

    const user = new User()
    await assert.rejects(() => mailQueue.enqueue([passwordMail('ok@exemple.fr'), { ...passwordMail('modele@exemple.fr'), data: { user } }]), /modèle/)
    assert.lengthOf(await queued(), 0)
  })

  test('mail:send-queued sends what is due from the command line and says what is left', async ({ assert }) => {
    await mailQueue.enqueue([passwordMail('commande@exemple.fr'), passwordMail('perdu@exemple.fr')])
    await db.from('mail_queue').where('to_address', 'perdu@exemple.fr').update({ attempts: 7, failed_at: dbTime() })
    const run = runAce(['mail:send-queued'])
    assert.equal(run.status, 0, run.output)
    assert.include(run.output, 'Envoyés : 1 — refusés, à réessayer plus tard : 0 — abandonnés : 0')
    assert.include(run.output, 'Restent en file : 0 (dont ceux à réessayer) ; abandonnés en tout : 1')
    assert.include(run.output, '1 courriel abandonné après le dernier essai')
    assert.deepEqual(
      (await queued()).map((row) => row.to_address),
      ['perdu@exemple.fr']
    )
  }).timeout(120_000)

  test('the web server sends the queue by itself; /sante warns of a mail given up, in French', async ({ assert, cleanup }) => {
    await mailQueue.enqueue([passwordMail('serveur@exemple.fr')])
    await mailQueue.enqueue([passwordMail('abandon@exemple.fr')])
    await db
      .from('mail_queue')
      .where('to_address', 'abandon@exemple.fr')
      .update({ attempts: 7, failed_at: dbTime(), last_error: '550 boîte pleine' })

    const server = await startServer({}, PORT)
    cleanup(() => void server.kill())
    const deadline = Date.now() + 20_000
    // Watched in the table, not through mailsTo (which would send the queue from this process).
    const waiting = async () => (await db.from('mail_queue').where('to_address', 'serveur@exemple.fr')).length
    while ((await waiting()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
    assert.equal(await waiting(), 0, server.output())
    const [mail] = await mailsTo('serveur@exemple.fr')
    assert.include(mail, 'marie.essai')
    assert.include(mail, 'http://localhost/mot-de-passe/jeton')
    assert.deepEqual(
      (await queued()).map((row) => row.to_address),
      ['abandon@exemple.fr']
    )

    const report = (await (await fetch(`http://127.0.0.1:${PORT}/sante`)).json()) as { controles: Record<string, object> }
    assert.deepInclude(report.controles.courrier, {
      etat: 'avertissement',
      message: 'Le courrier est incertain : des courriels attendent depuis plus d’une heure ou ont été abandonnés.',
      en_file: 0,
      abandonnes: 1,
    })
  }).timeout(90_000)
})
