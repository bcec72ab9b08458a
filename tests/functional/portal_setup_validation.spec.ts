import { test } from '@japa/runner'
import { mkdir, writeFile } from 'node:fs/promises'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import ace from '@adonisjs/core/services/ace'
import drive from '@adonisjs/drive/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import communeSettings from '#services/commune_settings'
import { createUser } from '#tests/helpers/users'
import moduleRegistry from '#core/module_registry'
import type { ModuleHooks } from '#core/module_manifest'

/*
 * portal:setup checks every answer before it writes anything: a refusal leaves the database, the
 * logo and .env as they were, and names every wrong flag at once, in French.
 */

const PNG_1PX = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5dd5f5d0000000049454e44ae426082',
  'hex'
)
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'

async function logoFiles(name: string, content: Buffer | string) {
  await mkdir(app.tmpPath(), { recursive: true })
  const path = app.tmpPath(name)
  await writeFile(path, content)
  return path
}

/** What a refusal must leave untouched: the settings row, services, topics, users, the logo files. */
async function snapshot() {
  const files: string[] = []
  const listing = await drive.use().listAll('branding', { recursive: true })
  for (const entry of listing.objects) if (entry.isFile) files.push(entry.key)
  return {
    settings: await db.from('portal_settings').select('key', 'value'),
    services: await db.from('services').orderBy('id').select('id', 'name'),
    topics: await db.from('service_topics').orderBy('id').select('id', 'service_id', 'name'),
    users: await db.from('users').orderBy('id').select('id', 'username', 'role'),
    files: files.sort(),
  }
}

function output(command: { logger: { getLogs(): { message: string }[] } }) {
  return command.logger.getLogs().map((log) => log.message).join('\n')
}

test.group('portal:setup refuses before writing', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })
  group.each.setup(async () => {
    await drive.use().deleteAll('branding')
    const first = await ace.exec('portal:setup', ['--no-interaction', '--name=Colomars', `--logo=${await logoFiles('old-logo.png', PNG_1PX)}`])
    first.assertSucceeded()
  })

  test('a topic naming an unknown service: a French sentence, nothing written, the old logo kept', async ({ assert }) => {
    const before = await snapshot()
    assert.lengthOf(before.files, 1)
    const command = await ace.exec('portal:setup', [
      '--no-interaction',
      '--name=Autre',
      `--logo=${await logoFiles('new-logo.svg', SVG)}`,
      '--topic=Inconnu:Thème',
    ])
    command.assertFailed()
    assert.include(output(command), '--topic : Le thème « Thème » nomme un service inconnu : « Inconnu »')
    assert.notMatch(output(command), /Knex|Undefined binding|at async/)
    assert.deepEqual(await snapshot(), before)
    assert.isTrue(await drive.use().exists((await communeSettings.fresh()).logoPath!))
  })

  test('a topic may name a service that exists or one added by --service', async ({ assert }) => {
    const command = await ace.exec('portal:setup', [
      '--no-interaction',
      '--service=Régie',
      '--topic=Service Enfance:Cantine',
      '--topic=Régie:Facturation',
    ])
    command.assertSucceeded()
    const topics = await db.from('service_topics').join('services', 'services.id', 'service_topics.service_id').select('services.name as service', 'service_topics.name')
    assert.deepInclude(topics, { service: 'Service Enfance', name: 'Cantine' })
    assert.deepInclude(topics, { service: 'Régie', name: 'Facturation' })
  })

  test('every wrong flag is reported at once, each naming its flag', async ({ assert }) => {
    const before = await snapshot()
    const command = await ace.exec('portal:setup', [
      '--no-interaction',
      '--contact=Mairie|abc|x|bad@',
      '--name',
      '--color-accent=rouge',
      '--admin-username=X',
      '--inconnue=1',
    ])
    command.assertFailed()
    const text = output(command)
    assert.include(text, "--contact : Contact « Mairie » : le téléphone « abc » n'est pas valide.")
    assert.include(text, "--contact : Contact « Mairie » : le courriel « bad@ » n'est pas valide.")
    assert.include(text, '--name : valeur manquante')
    assert.include(text, "--color-accent : La couleur d'accent « rouge »")
    assert.include(text, "--admin-username : Le nom d'utilisateur « X » n'est pas valide")
    assert.include(text, "--admin-email : Le courriel de l'administrateur est obligatoire")
    assert.include(text, '--inconnue : option inconnue de portal:setup')
    assert.notMatch(text, /Missing value|Unknown flag|must be defined/)
    assert.equal(text.match(/^ {2}- --name /gm)?.length, 1, 'an empty flag is reported once')
    assert.deepEqual(await snapshot(), before)
  })

  test('a username already taken is reported with the other problems', async ({ assert }) => {
    await createUser('staff', { username: 'maire' })
    const before = await snapshot()
    const command = await ace.exec('portal:setup', [
      '--no-interaction',
      '--color-accent=rouge',
      '--admin-email=nouveau@colomars.test',
      '--admin-name=Nouveau Maire',
      '--admin-username=maire',
    ])
    command.assertFailed()
    assert.include(output(command), "--admin-username : Le nom d'utilisateur « maire » est déjà pris.")
    assert.include(output(command), "--color-accent : La couleur d'accent « rouge »")
    assert.deepEqual(await snapshot(), before)
  })

  test('a refusal met only while writing (the username taken meanwhile) rolls everything back, logo included', async ({
    assert,
    cleanup,
  }) => {
    // As if another process took the username between the check and the write.
    const hook = moduleRegistry.hook.bind(moduleRegistry)
    moduleRegistry.hook = ((name: keyof ModuleHooks) => (name === 'portal.check-administrator' ? undefined : hook(name))) as typeof hook
    cleanup(() => {
      moduleRegistry.hook = hook
    })
    await createUser('staff', { username: 'maire' })
    const before = await snapshot()
    const command = await ace.exec('portal:setup', [
      '--no-interaction',
      '--name=Autre',
      `--logo=${await logoFiles('new-logo.svg', SVG)}`,
      '--service=Régie',
      '--admin-email=nouveau@colomars.test',
      '--admin-name=Nouveau Maire',
      '--admin-username=maire',
    ])
    command.assertFailed()
    assert.include(output(command), "--admin-username : Le nom d'utilisateur « maire » est déjà pris.")
    assert.deepEqual(await snapshot(), before)
  })
})

test.group('portal:setup asks in French', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('each answer is checked as typed, services, topics, text colour and username asked, yes/no in French', async ({ assert }) => {
    const logo = await logoFiles('asked-logo.png', PNG_1PX)
    const command = await ace.create(await ace.find('portal:setup'), ['--interaction'])
    const choices: string[] = []
    const toggle = command.prompt.toggle.bind(command.prompt)
    command.prompt.toggle = ((title: string, answers: [string, string], options?: object) => {
      choices.push(answers.join('/'))
      return toggle(title, answers, options)
    }) as typeof toggle
    command.prompt.confirm = () => {
      throw new Error('confirm shows « (Y/n) »: use a toggle with « Oui » / « Non »')
    }
    command.prompt.trap('Nom de la commune').replyWith('Colomars')
    command.prompt
      .trap('Fichier du logo (PNG, JPEG ou SVG ; vide pour garder le logo actuel)')
      .assertFails('/nulle/part.png', 'Le fichier du logo « /nulle/part.png » est introuvable.')
      .assertPasses(logo)
      .replyWith(logo)
    command.prompt.trap('Couleur principale (#rrggbb)').assertFails('bleu', /n'est pas une couleur hexadécimale/).replyWith('#1f4e79')
    command.prompt
      .trap('Couleur du texte sur la couleur principale (#rrggbb)')
      .assertFails('#1f4e79', /contraste de 1\.00:1/)
      .replyWith('#ffffff')
    command.prompt.trap("Couleur d'accent (#rrggbb)").replyWith('#8a3b12')
    command.prompt.trap('Saisir les contacts du pied de page ?').reject()
    command.prompt.trap('Ajouter des services ? (existants : aucun)').accept()
    command.prompt.trap('Service 1 (vide pour finir)').replyWith('Régie')
    command.prompt.trap('Service 2 (vide pour finir)').replyWith('')
    command.prompt.trap('Ajouter des thèmes de message ?').accept()
    command.prompt
      .trap('Thème 1 « Service:Thème » (vide pour finir)')
      .assertFails('Inconnu:Cantine', /nomme un service inconnu : « Inconnu »/)
      .replyWith('Régie:Facturation')
    command.prompt.trap('Thème 2 « Service:Thème » (vide pour finir)').replyWith('')
    command.prompt.trap('Modules activés, séparés par des virgules (vide = tous)').replyWith('')
    command.prompt.trap('Créer ou mettre à jour le premier administrateur ?').accept()
    command.prompt.trap('Courriel de l’administrateur').replyWith('maire@colomars.test')
    command.prompt.trap('Nom complet de l’administrateur').replyWith('Marie Curie')
    command.prompt
      .trap("Nom d'utilisateur de l’administrateur (vide = prénom.nom)")
      .assertFails('X', /n'est pas valide/)
      .replyWith('maire')
    await command.exec()
    command.assertSucceeded()
    command.prompt.traps.verify()

    assert.isTrue(choices.length > 0 && choices.every((pair) => pair === 'Oui/Non'))
    const text = output(command)
    assert.notMatch(text, /\(Y\/n\)|\bYes\b|\(pending\)/)
    assert.include(text, "Administrateur « maire » créé (en attente d'activation).")
    const settings = await communeSettings.fresh()
    assert.equal(settings.name, 'Colomars')
    assert.match(settings.logoPath!, /\.png$/)
    const services = await db.from('services').orderBy('name')
    assert.deepEqual(services.map((s) => s.name), ['Régie'])
    const topics = await db.from('service_topics')
    assert.deepEqual(topics.map((t) => t.name), ['Facturation'])
  })
})
