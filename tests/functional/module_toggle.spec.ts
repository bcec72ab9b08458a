import { test } from '@japa/runner'
import type { ChildProcess } from 'node:child_process'
import moduleRegistry from '#core/module_registry'
import { migrationFiles } from '#core/module_catalog'
import { commandNamesOf, getMetaData } from '#start/module_commands'
import { bootAndExpectFailure, runAce, startServer } from '#tests/helpers/processes'

const PORT = Number(process.env.PORT ?? 3334) + 50

/** Modules that can be switched off, with what they contribute when on (read from this process, where all are on). */
function optionalModules() {
  return moduleRegistry.all.filter((manifest) => !manifest.required)
}

test.group('Switching modules off', (group) => {
  let server: (ChildProcess & { output: () => string }) | null = null
  const onlyRequired = moduleRegistry.all.filter((m) => m.required).map((m) => m.name).join(',')

  group.setup(async () => {
    server = await startServer({ PORTAL_MODULES: onlyRequired }, PORT)
    return () => {
      server?.kill()
    }
  })

  test('a disabled module answers 404 on its URLs', async ({ assert }) => {
    let checked = 0
    for (const manifest of optionalModules()) {
      for (const route of moduleRegistry.routesOf(manifest.name)) {
        if (!route.methods.includes('GET') || route.pattern.includes(':') || route.pattern.includes('*')) continue
        const response = await fetch(`http://127.0.0.1:${PORT}${route.pattern}`, { redirect: 'manual' })
        assert.equal(response.status, 404, `${manifest.name} ${route.pattern}`)
        checked++
      }
    }
    assert.isAtLeast(checked, optionalModules().length ? 1 : 0)
  })

  test('its menu entries and blocks are gone from the pages', async ({ assert }) => {
    const html = await (await fetch(`http://127.0.0.1:${PORT}/`)).text()
    assert.include(html, 'Aller au contenu')
    for (const manifest of optionalModules()) {
      for (const entry of [...(manifest.publicNav ?? []), ...(manifest.parentNav ?? [])]) {
        assert.notInclude(html, `>${entry.label}</a>`, `${manifest.name}: ${entry.label}`)
      }
      for (const block of manifest.publicBlocks ?? []) {
        assert.notInclude(html, block.title, `${manifest.name}: ${block.title}`)
      }
    }
  })

  test('its commands refuse with a sentence and its listeners are not registered', async ({ assert }) => {
    const meta = await getMetaData()
    for (const manifest of optionalModules()) {
      for (const name of await commandNamesOf(manifest.name)) {
        const command = meta.find((m) => m.commandName === name)
        const args = (command?.args ?? []).filter((a) => a.required).map(() => 'x')
        const requiredFlags = (command?.flags ?? []).filter((f) => f.required).map((f) => `--${f.flagName}=x`)
        const result = runAce([name, ...args, ...requiredFlags], { PORTAL_MODULES: onlyRequired })
        assert.equal(result.status, 1, `${name}: ${result.output}`)
        assert.include(result.output, `appartient au module « ${manifest.name} », qui est désactivé`)
      }
    }
    const listing = runAce(['portal:modules'], { PORTAL_MODULES: onlyRequired })
    assert.equal(listing.status, 0, listing.output)
    for (const manifest of optionalModules()) {
      assert.match(listing.output, new RegExp(`${manifest.name} — [^\\n]*\\[désactivé\\]`))
    }
    assert.notMatch(listing.output, /écouteurs d'événements : \d+ \(module désactivé\)/)
  })

  test('its tables still exist: migrations ran for every module', async ({ assert }) => {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const migrated = await db.from('adonis_schema').select('name')
    for (const manifest of moduleRegistry.all) {
      for (const file of migrationFiles(manifest.name)) {
        assert.isTrue(
          migrated.some((row) => row.name.endsWith(file.replace(/\.(ts|js)$/, ''))),
          `${manifest.name}/${file}`
        )
      }
    }
  })
})

test.group('Refusing a bad module list at boot', () => {
  test('a module whose dependency is off stops the boot with a sentence naming both', ({ assert }) => {
    const dependent = moduleRegistry.all.find((m) => m.dependsOn.some((d) => !moduleRegistry.all.find((x) => x.name === d)?.required))
    if (dependent) {
      const missing = dependent.dependsOn.find((d) => !moduleRegistry.all.find((x) => x.name === d)?.required)!
      const list = moduleRegistry.all.filter((m) => m.required || m.name === dependent.name).map((m) => m.name).join(',')
      const result = bootAndExpectFailure({ PORTAL_MODULES: list })
      assert.notEqual(result.status, 0)
      assert.include(result.output, `Le module « ${dependent.name} » dépend du module « ${missing} », qui est désactivé`)
      assert.notInclude(result.output, '    at ')
    }
    const withoutRequired = bootAndExpectFailure({ PORTAL_MODULES: moduleRegistry.all.filter((m) => !m.required).map((m) => m.name).join(',') || 'nothing' })
    assert.notEqual(withoutRequired.status, 0)
    assert.match(withoutRequired.output, /Le portail ne peut pas démarrer : .*(obligatoire|inconnu)/)
  })

  test('portal:modules lists every module with its dependencies and contributions', ({ assert }) => {
    const result = runAce(['portal:modules'])
    assert.equal(result.status, 0, result.output)
    for (const manifest of moduleRegistry.all) {
      assert.match(result.output, new RegExp(`${manifest.name} — ${manifest.label} \\[activé\\]`))
    }
    assert.include(result.output, 'dépend de :')
    assert.include(result.output, 'migrations (')
    assert.include(result.output, 'routes (')
  })
})
