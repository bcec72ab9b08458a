import { test } from '@japa/runner'
import { readdirSync } from 'node:fs'
import {
  ModuleConfigurationError,
  discoverModules,
  migrationFiles,
  migrationPaths,
  modulePath,
  moduleFolders,
  orderModules,
} from '#core/module_catalog'
import { defineModule } from '#core/module_manifest'

function manifest(name: string, dependsOn: string[] = []) {
  return defineModule({ name, label: name, description: '', dependsOn })
}

/** The portal's seven modules as their manifests declare them today. */
const portal = [
  manifest('accounts'),
  manifest('dossier', ['accounts']),
  manifest('news', ['accounts']),
  manifest('inscriptions', ['accounts', 'dossier']),
  manifest('planning', ['accounts', 'dossier', 'inscriptions']),
  manifest('billing', ['accounts', 'dossier', 'inscriptions', 'planning']),
  manifest('messaging', ['accounts', 'dossier']),
]

function names(manifests: { name: string }[]) {
  return manifests.map((entry) => entry.name)
}

function refusal(manifests: ReturnType<typeof manifest>[]): string {
  try {
    orderModules(manifests)
  } catch (error) {
    if (error instanceof ModuleConfigurationError) return error.message
    throw error
  }
  throw new Error('orderModules should have refused')
}

/** The seven modules of the portal in the order their dependsOn give. */
const PORTAL_ORDER = ['accounts', 'dossier', 'inscriptions', 'messaging', 'news', 'planning', 'billing']

test.group('Module order from dependsOn', () => {
  test('each module comes after its dependencies, ties broken by name', ({ assert }) => {
    assert.deepEqual(names(orderModules(portal)), PORTAL_ORDER)
  })

  test('the order does not depend on the order the folders are read in', ({ assert }) => {
    const expected = names(orderModules(portal))
    for (const shuffled of [[...portal].reverse(), [portal[5], portal[2], portal[6], portal[0], portal[4], portal[1], portal[3]]]) {
      assert.deepEqual(names(orderModules(shuffled)), expected)
    }
  })

  test('an eighth module takes its place from its dependsOn alone', ({ assert }) => {
    assert.deepEqual(names(orderModules([manifest('cantine', ['planning']), ...portal])), [...PORTAL_ORDER, 'cantine'])
  })

  test('a dependency cycle is refused in one sentence naming the modules of the cycle', ({ assert }) => {
    const message = refusal([
      manifest('accounts'),
      manifest('alpha', ['accounts', 'gamma']),
      manifest('beta', ['alpha']),
      manifest('gamma', ['beta']),
      manifest('omega', ['alpha']),
    ])
    assert.equal(
      message,
      "Les modules « alpha », « gamma » et « beta » dépendent les uns des autres en boucle (alpha → gamma → beta → alpha) : retirez l'une de ces dépendances de leurs fichiers module.ts."
    )
    assert.notInclude(message, 'omega')
  })

  test('a module depending on itself is refused', ({ assert }) => {
    assert.equal(
      refusal([manifest('accounts'), manifest('loop', ['loop'])]),
      'Le module « loop » dépend de lui-même : retirez « loop » du dependsOn de modules/loop/module.ts.'
    )
  })

  test('a dependency on a module that is not there is refused, naming both', ({ assert }) => {
    assert.equal(
      refusal([manifest('accounts'), manifest('billing', ['accounts', 'planning'])]),
      "Le module « billing » dépend du module « planning », qui n'existe pas dans le dossier modules/ : ajoutez ce module ou retirez « planning » du dependsOn de modules/billing/module.ts."
    )
  })
})

test.group('Module discovery', () => {
  test('every folder of modules/ holding a module.ts is a module, in dependency order', async ({ assert }) => {
    const folders = readdirSync(modulePath('.'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && readdirSync(modulePath(entry.name)).includes('module.ts'))
      .map((entry) => entry.name)
      .sort()
    assert.deepEqual(moduleFolders(), folders)
    const discovered = await discoverModules()
    assert.sameMembers(names(discovered), folders)
    discovered.forEach((module, index) => {
      for (const dependency of module.dependsOn) {
        assert.isBelow(names(discovered).indexOf(dependency), index, `${module.name} after ${dependency}`)
      }
    })
  })

  test('migration folders run core first, then each module after the modules it depends on', async ({ assert }) => {
    const paths = migrationPaths()
    assert.equal(paths[0], './database/migrations')
    const position = (name: string) => paths.indexOf(`./modules/${name}/database/migrations`)
    for (const module of await discoverModules()) {
      if (!migrationFiles(module.name).length) continue
      assert.isAbove(position(module.name), 0, module.name)
      for (const dependency of module.dependsOn) {
        if (!migrationFiles(dependency).length) continue
        assert.isBelow(position(dependency), position(module.name), `${module.name} after ${dependency}`)
        assert.isTrue(
          migrationFiles(dependency).at(-1)! < migrationFiles(module.name)[0],
          `the migrations of ${module.name} are named after those of ${dependency}`
        )
      }
    }
  })
})
