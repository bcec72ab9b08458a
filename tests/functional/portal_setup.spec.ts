import { test } from '@japa/runner'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import ace from '@adonisjs/core/services/ace'
import testUtils from '@adonisjs/core/services/test_utils'
import drive from '@adonisjs/drive/services/main'
import communeSettings from '#services/commune_settings'
import { writeModulesToEnv } from '#services/commune_setup_apply'
import { runAce } from '#tests/helpers/processes'

const PNG_1PX = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5dd5f5d0000000049454e44ae426082',
  'hex'
)

async function runSetup(args: string[]) {
  const command = await ace.exec('portal:setup', ['--no-interaction', ...args])
  return command
}

test.group('portal:setup', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('configures the commune from flags, then updates without duplicating', async ({ assert }) => {
    const logo = app.tmpPath('test-logo.png')
    await mkdir(app.tmpPath(), { recursive: true })
    await writeFile(logo, PNG_1PX)
    const flags = [
      '--name=Colomars',
      `--logo=${logo}`,
      '--color-primary=#1f4e79',
      '--color-primary-contrast=#ffffff',
      '--color-accent=#8a3b12',
      '--contact=Service Enfance|04 93 00 00 01|1 place de la Mairie|enfance@colomars.test',
      '--contact=Accueil de loisirs|04 93 00 00 02|Chemin des écoles',
      '--contact=Restauration scolaire|04 93 00 00 03|Groupe scolaire',
      '--service=Service Enfance',
      '--service=Régie',
      '--topic=Service Enfance:Remise de justificatif (absence,...)',
      '--topic=Régie:Facturation',
    ]
    const first = await runSetup(flags)
    first.assertSucceeded()
    const settings = await communeSettings.fresh()
    assert.equal(settings.name, 'Colomars')
    assert.lengthOf(settings.contacts, 3)
    assert.equal(settings.contacts[0].email, 'enfance@colomars.test')
    assert.match(settings.logoPath!, /^branding\/logo-[a-z0-9-]+\.png$/)
    assert.isTrue(await drive.use().exists(settings.logoPath!))

    const second = await runSetup([...flags.filter((f) => !f.startsWith('--name')), '--name=Colomars-sur-Var'])
    second.assertSucceeded()
    const updated = await communeSettings.fresh()
    assert.equal(updated.name, 'Colomars-sur-Var')
    assert.notEqual(updated.logoPath, settings.logoPath, 'a new logo gets a new name')
    assert.isTrue(await drive.use().exists(updated.logoPath!))
    assert.isFalse(await drive.use().exists(settings.logoPath!), 'the old logo is deleted once the new one is committed')
    const services = await db.from('services').orderBy('name')
    assert.deepEqual(services.map((s) => s.name), ['Régie', 'Service Enfance'])
    const topics = await db.from('service_topics')
    assert.lengthOf(topics, 2)
  })

  test('without services given, the guide\'s Service Enfance and five topics are created once', async ({ assert }) => {
    ;(await runSetup(['--name=Colomars'])).assertSucceeded()
    ;(await runSetup(['--name=Colomars'])).assertSucceeded()
    const services = await db.from('services')
    assert.deepEqual(services.map((s) => s.name), ['Service Enfance'])
    const topics = await db.from('service_topics').orderBy('position')
    assert.lengthOf(topics, 5)
    assert.equal(topics[0].name, "Demande de modification d'éléments dans mon dossier")
  })

  test('the first administrator is created pending with an activation link, once', async ({ assert }) => {
    const flags = ['--name=Colomars', '--admin-email=Maire@Colomars.test', '--admin-name=Marie Curie']
    const first = await runSetup(flags)
    first.assertSucceeded()
    const output = first.logger.getLogs().map((log) => log.message).join('\n')
    assert.match(output, /Lien d'activation \(valable 96 heures, jusqu'au \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}, heure de Paris\)/)
    assert.include(output, "créé (en attente d'activation)")
    assert.notInclude(output, 'pending')
    assert.match(output, /https?:\/\/[^\s]+\/activation\/[A-Za-z0-9_-]{20,}/)
    ;(await runSetup(flags)).assertSucceeded()
    const admins = await db.from('users').where('role', 'admin')
    assert.lengthOf(admins, 1)
    assert.equal(admins[0].email, 'maire@colomars.test')
    assert.equal(admins[0].state, 'pending')
  }).setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('bad flags fail with every sentence and change nothing', async ({ assert }) => {
    ;(await runSetup(['--name=Colomars'])).assertSucceeded()
    const before = await communeSettings.fresh()
    const command = await runSetup([
      '--name=Autre',
      '--color-primary=#ffee00',
      '--color-accent=rouge',
      '--logo=/nulle/part.png',
      '--contact=Mairie',
      '--modules=accounts,inconnu',
      '--admin-email=pas-un-courriel',
    ])
    command.assertFailed()
    const output = command.logger.getLogs().map((log) => log.message).join('\n')
    assert.include(output, 'rien n’a été modifié')
    const refusal = command.logger.getLogs().filter((log) => log.message.includes('refusée') || log.message.startsWith('  - '))
    assert.isTrue(refusal.length > 7 && refusal.every((log) => log.stream === 'stderr'), 'the refusal is on stderr')
    assert.match(output, /contraste de 1\.\d+:1, sous le minimum de 4\.5:1 : essayez #[0-9a-f]{6}/)
    assert.include(output, "La couleur d'accent « rouge »")
    assert.include(output, 'Le fichier du logo « /nulle/part.png » est introuvable.')
    assert.include(output, 'Contact « Mairie »')
    assert.include(output, 'inconnu')
    assert.include(output, "« pas-un-courriel » n'est pas valide")
    const after = await communeSettings.fresh()
    assert.deepEqual(after, before)
  }).setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })
})

test.group('portal:setup writes the module list to .env', () => {
  test('the PORTAL_MODULES line is replaced, not duplicated', async ({ assert }) => {
    const file = app.tmpPath('test.env')
    await writeFile(file, 'PORT=3333\n# PORTAL_MODULES=accounts\nHOST=localhost\n')
    await writeModulesToEnv(file, 'accounts,dossier')
    await writeModulesToEnv(file, 'accounts,dossier,news')
    const content = await readFile(file, 'utf8')
    assert.equal(content.match(/PORTAL_MODULES=/g)?.length, 1)
    assert.include(content, 'PORTAL_MODULES=accounts,dossier,news\nHOST=localhost')
    await rm(file)
  })

  test('run as a script with no terminal, it never waits for an answer', ({ assert }) => {
    const result = runAce(['portal:setup', '--color-accent=rouge'])
    assert.equal(result.status, 1, result.output)
    assert.include(result.output, "La couleur d'accent « rouge » n'est pas une couleur hexadécimale")
  })
})
