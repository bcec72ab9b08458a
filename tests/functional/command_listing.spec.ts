import { test } from '@japa/runner'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import moduleRegistry from '#core/module_registry'
import { commandNamesOf } from '#start/module_commands'
import { runAce } from '#tests/helpers/processes'
import { pruneBuildFolder } from '../../bin/build_prune.js'

test.group('Ace commands listed', () => {
  test('`node ace list` shows no command of a disabled module; running one names the module', async ({ assert }) => {
    const withoutPlanning = moduleRegistry.all.filter((m) => !['planning', 'billing'].includes(m.name)).map((m) => m.name).join(',')
    const listing = runAce(['list'], { PORTAL_MODULES: withoutPlanning })
    assert.equal(listing.status, 0, listing.output)
    assert.include(listing.stdout, 'families:import')
    for (const name of [...(await commandNamesOf('billing')), 'planning:bench-rush']) assert.notInclude(listing.stdout, name)

    const refused = runAce(['billing:generate', '2026-09'], { PORTAL_MODULES: withoutPlanning })
    assert.equal(refused.status, 1, refused.output)
    assert.equal(refused.stderr.trim(), "La commande billing:generate appartient au module « billing », qui est désactivé (PORTAL_MODULES) : rien n'a été fait.")
  })

  test('the benchmark command is listed only with PORTAL_BENCH_ROUTES=1', ({ assert }) => {
    assert.notInclude(runAce(['list']).stdout, 'planning:bench-rush')
    assert.include(runAce(['list'], { PORTAL_BENCH_ROUTES: '1' }).stdout, 'planning:bench-rush')
  })

  test('the build loses its test files and benchmark (kept for npm run bench)', ({ assert }) => {
    const build = mkdtempSync(join(tmpdir(), 'portail-build-'))
    const files = ['tests/bootstrap.js', 'bin/test.js', 'bin/server.js', 'bench/run.js', 'modules/planning/bench/rush.js',
      'modules/planning/bench/commands/planning_bench_rush.js', 'modules/planning/tests/x.spec.js', 'modules/planning/commands/x.js']
    const make = () => {
      for (const file of files) {
        mkdirSync(join(build, file, '..'), { recursive: true })
        writeFileSync(join(build, file), '')
      }
    }
    try {
      make()
      pruneBuildFolder(build, false)
      assert.deepEqual(files.filter((file) => existsSync(join(build, file))), ['bin/server.js', 'modules/planning/commands/x.js'])
      make()
      pruneBuildFolder(build, true)
      assert.deepEqual(files.filter((file) => existsSync(join(build, file))), ['bin/server.js', 'bench/run.js', 'modules/planning/bench/rush.js',
        'modules/planning/bench/commands/planning_bench_rush.js', 'modules/planning/commands/x.js'])
    } finally {
      rmSync(build, { recursive: true, force: true })
    }
  })
})
