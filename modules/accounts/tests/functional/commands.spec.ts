import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import { DateTime } from 'luxon'
import { SMTPServer } from 'smtp-server'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import User from '#modules/accounts/models/user'
import { makeUser as makeAnyUser } from '#modules/accounts/tests/helpers'

interface Received {
  to: string[]
  raw: string
}

/** A real SMTP server on a free local port; addresses containing "refuse" are rejected. */
async function startSmtp() {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.includes('refuse')) {
        return callback(Object.assign(new Error('Boîte inconnue'), { responseCode: 550 }))
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.server.address() as AddressInfo).port
  return { received, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/** Runs `node ace <args>` as an administrator would, against the test database. */
function ace(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['ace', ...args], {
      cwd: app.makePath(),
      env: { ...process.env, NODE_ENV: 'test', FORCE_COLOR: '0', ...env },
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

function activationToken(raw: string) {
  const text = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=')
  return /\/activation\/([A-Za-z0-9_-]{43})/.exec(text)?.[1] ?? null
}

/** These tests commit (the command runs in another process): they remove what they made. */
const created: number[] = []

async function makeUser(...args: Parameters<typeof makeAnyUser>) {
  const user = await makeAnyUser(...args)
  created.push(user.id)
  return user
}

async function cleanAccounts() {
  if (created.length) await db.from('users').whereIn('id', created.splice(0)).delete()
}

test.group('accounts:send-activations', (group) => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  const smtpEnv = () => ({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) })

  group.setup(async () => {
    await cleanAccounts()
    smtp = await startSmtp()
    return async () => {
      await smtp.close()
      await cleanAccounts()
    }
  })
  group.each.setup(async () => {
    await cleanAccounts()
    smtp.received.length = 0
  })

  test('mails every pending account never mailed, over SMTP, and reports failures without stopping', async ({ assert, client }) => {
    const first = await makeUser({ state: 'pending', email: 'premiere@exemple.fr' })
    const second = await makeUser({ state: 'pending', email: 'seconde@exemple.fr' })
    const refused = await makeUser({ state: 'pending', email: 'refuse@exemple.fr' })
    const noEmail = await makeUser({ state: 'pending', email: null })
    const alreadyMailed = await makeUser({ state: 'pending', email: 'deja@exemple.fr' })
    alreadyMailed.activationSentAt = DateTime.utc().minus({ hours: 1 })
    await alreadyMailed.save()
    await makeUser({ state: 'active', email: 'actif@exemple.fr' })

    const run = await ace(['accounts:send-activations'], smtpEnv())
    assert.equal(run.code, 1, run.output)
    assert.include(run.output, 'Envoyés : 2 — ignorés : 1 — en échec : 1')
    assert.include(run.output, refused.username)
    assert.include(run.output, "pas d'adresse électronique")
    assert.include(run.output, noEmail.username)

    assert.sameMembers(
      smtp.received.map((m) => m.to[0]),
      ['premiere@exemple.fr', 'seconde@exemple.fr']
    )
    const tokens = smtp.received.map((m) => activationToken(m.raw))
    assert.isTrue(tokens.every((token) => typeof token === 'string'))
    assert.notEqual(tokens[0], tokens[1])
    for (const mail of smtp.received) assert.include(mail.raw, 'Activer mon compte')

    for (const user of [first, second]) {
      await user.refresh()
      assert.isNotNull(user.activationSentAt)
      assert.closeTo(user.activationExpiresAt!.diff(DateTime.utc(), 'hours').hours, 96, 0.2)
    }
    await refused.refresh()
    assert.isNull(refused.activationSentAt)
    assert.isNull(refused.activationExpiresAt)
    assert.lengthOf(await db.from('account_tokens').where('user_id', refused.id), 0)

    const page = await client.get(`/activation/${tokens[0]}`)
    page.assertStatus(200)

    const again = await ace(['accounts:send-activations'], smtpEnv())
    assert.include(again.output, 'Envoyés : 0 — ignorés : 1 — en échec : 1')
    assert.lengthOf(smtp.received, 2)
  })

  test('--dry-run lists who would get the link and sends nothing', async ({ assert }) => {
    const user = await makeUser({ state: 'pending', email: 'simulation@exemple.fr' })
    const run = await ace(['accounts:send-activations', '--dry-run'], smtpEnv())
    assert.equal(run.code, 0, run.output)
    assert.include(run.output, 'Simulation : 1 compte recevrait un lien')
    assert.include(run.output, user.username)
    assert.lengthOf(smtp.received, 0)
    await user.refresh()
    assert.isNull(user.activationSentAt)
  })

  test('--all-pending mails a fresh link to pending accounts already mailed', async ({ assert, client }) => {
    const user = await makeUser({ state: 'pending', email: 'relance@exemple.fr' })
    const first = await ace(['accounts:send-activations'], smtpEnv())
    assert.equal(first.code, 0, first.output)
    const oldToken = activationToken(smtp.received[0].raw)
    const again = await ace(['accounts:send-activations', '--all-pending'], smtpEnv())
    assert.include(again.output, 'Envoyés : 1')
    assert.lengthOf(smtp.received, 2)
    const newToken = activationToken(smtp.received[1].raw)
    assert.notEqual(newToken, oldToken)
    ;(await client.get(`/activation/${oldToken}`)).assertStatus(404)
    ;(await client.get(`/activation/${newToken}`)).assertStatus(200)
    await user.refresh()
    assert.equal(user.state, 'pending')
  })

  test("the link portal:setup printed for the first administrator stays valid until --all-pending replaces it", async ({ assert, client }) => {
    const { setupAdministrator } = await import('#modules/accounts/services/administrator_setup')
    const report = await setupAdministrator({ email: 'premier-admin@exemple.fr', fullName: 'Première Administratrice' })
    const admin = await User.findByOrFail('username', report.username)
    created.push(admin.id)
    const printed = new URL(report.activationUrl!).pathname

    const run = await ace(['accounts:send-activations'], smtpEnv())
    assert.equal(run.code, 0, run.output)
    assert.include(run.output, `ignoré : ${admin.username}`)
    assert.include(run.output, 'le lien affiché par portal:setup reste valable')
    assert.lengthOf(smtp.received, 0)
    ;(await client.get(printed)).assertStatus(200)

    const replaced = await ace(['accounts:send-activations', '--all-pending'], smtpEnv())
    assert.equal(replaced.code, 0, replaced.output)
    assert.include(replaced.output, `${admin.username} : le lien affiché par portal:setup ne fonctionne plus ; utilisez celui envoyé à premier-admin@exemple.fr`)
    assert.lengthOf(smtp.received, 1)
    ;(await client.get(printed)).assertStatus(404)
    ;(await client.get(`/activation/${activationToken(smtp.received[0].raw)}`)).assertStatus(200)
  })

  test('--family says clearly when the family cannot be found, and sends nothing', async ({ assert }) => {
    await makeUser({ state: 'pending', email: 'famille@exemple.fr' })
    const run = await ace(['accounts:send-activations', '--family', 'FAM-INCONNUE'], smtpEnv())
    assert.equal(run.code, 1, run.output)
    assert.match(run.output, /aucun module activé ne gère les familles|Aucune famille de référence « FAM-INCONNUE »/)
    assert.lengthOf(smtp.received, 0)
  })
})

test.group('accounts:purge-expired', (group) => {
  group.setup(async () => {
    await cleanAccounts()
    return () => cleanAccounts()
  })

  async function pendingWith(sentHoursAgo: number | null, expiresInHours: number | null, state: 'pending' | 'active' | 'disabled' = 'pending') {
    const user = await makeUser({ state, email: null })
    user.activationSentAt = sentHoursAgo === null ? null : DateTime.utc().minus({ hours: sentHoursAgo })
    user.activationExpiresAt = expiresInHours === null ? null : DateTime.utc().plus({ hours: expiresInHours })
    await user.save()
    return user
  }

  test('deletes exactly the pending accounts whose window closed; --dry-run and --older-than', async ({ assert }) => {
    const expiredLongAgo = await pendingWith(100, -4)
    const expiredRecently = await pendingWith(97, -0.5)
    const stillValid = await pendingWith(10, 86)
    const neverMailed = await pendingWith(null, null)
    const activated = await pendingWith(100, -4, 'active')
    const disabled = await pendingWith(100, -4, 'disabled')

    const dry = await ace(['accounts:purge-expired', '--dry-run'])
    assert.equal(dry.code, 0, dry.output)
    assert.include(dry.output, `serait supprimé : ${expiredLongAgo.username}`)
    assert.include(dry.output, `serait supprimé : ${expiredRecently.username}`)
    assert.include(dry.output, 'Simulation : 2 comptes seraient supprimés')
    assert.lengthOf(await db.from('users').whereIn('id', created), 6)

    const older = await ace(['accounts:purge-expired', '--older-than', '2'])
    assert.equal(older.code, 0, older.output)
    assert.include(older.output, `supprimé : ${expiredLongAgo.username}`)
    assert.notInclude(older.output, expiredRecently.username)
    assert.isNull(await User.find(expiredLongAgo.id))
    assert.isNotNull(await User.find(expiredRecently.id))

    const all = await ace(['accounts:purge-expired'])
    assert.include(all.output, '1 compte supprimé.')
    assert.include(all.output, 'dossiers des familles sont conservés')
    const left = (await db.from('users').whereIn('id', created).select('id')).map((row: { id: number }) => row.id)
    assert.sameMembers(left, [stillValid.id, neverMailed.id, activated.id, disabled.id])

    const nothing = await ace(['accounts:purge-expired'])
    assert.include(nothing.output, 'rien à supprimer')
  })

  test('never deletes the pending administrators while no administrator is active', async ({ assert }) => {
    const admin = await makeUser({ state: 'pending', email: null, role: 'admin' })
    admin.activationExpiresAt = DateTime.utc().minus({ hours: 5 })
    await admin.save()
    const parent = await pendingWith(100, -4)
    // This test needs a commune without an active administrator; the others are put back after.
    const activeAdmins = (await db.from('users').where('role', 'admin').where('state', 'active').select('id')).map((row: { id: number }) => row.id)
    await db.from('users').whereIn('id', activeAdmins).update({ state: 'disabled' })
    try {
      const run = await ace(['accounts:purge-expired'])
      assert.equal(run.code, 0, run.output)
      assert.include(run.output, `conservé : ${admin.username}`)
      assert.include(run.output, "aucun administrateur n'est actif")
      assert.include(run.output, `supprimé : ${parent.username}`)
      assert.isNotNull(await User.find(admin.id))
      assert.isNull(await User.find(parent.id))
    } finally {
      await db.from('users').whereIn('id', activeAdmins).update({ state: 'active' })
    }
    const other = await makeUser({ state: 'active', role: 'admin', email: null })
    const withActive = await ace(['accounts:purge-expired'])
    assert.include(withActive.output, `supprimé : ${admin.username}`)
    assert.isNull(await User.find(admin.id))
    assert.isNotNull(await User.find(other.id))
  })
})
