import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from '@japa/runner'
import { ESLint } from 'eslint'
import type { ModuleManifest } from '#core/module_manifest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const BOUNDARY_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax'])

let eslint: ESLint | undefined

/** The boundary errors ESLint reports on `code` placed at `filePath` (relative to the root). */
async function boundaryErrors(filePath: string, code: string) {
  eslint ??= new ESLint({ cwd: root })
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) })
  return result.messages.filter((message) => message.ruleId && BOUNDARY_RULES.has(message.ruleId)).map((message) => `${message.ruleId}: ${message.message}`)
}

function filesOf(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) return filesOf(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

test.group('Module boundaries', (group) => {
  group.each.timeout(60_000)

  test('a module importing the insides of another fails lint', async ({ assert }) => {
    const errors = await boundaryErrors(
      'modules/planning/services/x.ts',
      "import familyService from '#modules/dossier/services/family_service'\n\nexport default familyService\n"
    )
    assert.lengthOf(errors, 1)
    assert.match(errors[0], /^no-restricted-imports: .*#modules\/dossier\/services\/family_service.*through its face: #modules\/<name>\/index/)
  })

  test('the same import through the face passes', async ({ assert }) => {
    const errors = await boundaryErrors('modules/planning/services/x.ts', "import { familyService } from '#modules/dossier/index'\n\nexport default familyService\n")
    assert.deepEqual(errors, [])
  })

  test('a relative path or an import() into another module fails too; its own insides pass', async ({ assert }) => {
    assert.lengthOf(await boundaryErrors('modules/planning/services/x.ts', "import familyService from '../../dossier/services/family_service'\n\nexport default familyService\n"), 1)
    assert.lengthOf(await boundaryErrors('modules/planning/services/x.ts', "export const load = () => import('#modules/dossier/models/child')\n"), 1)
    assert.deepEqual(await boundaryErrors('modules/planning/services/x.ts', "import Booking from '#modules/planning/models/booking'\n\nexport default Booking\n"), [])
    assert.deepEqual(await boundaryErrors('modules/planning/services/x.ts', "import Booking from '../models/booking'\n\nexport default Booking\n"), [])
  })

  test('the core imports no module outside the registry', async ({ assert }) => {
    assert.lengthOf(await boundaryErrors('app/services/x.ts', "import { familyService } from '#modules/dossier/index'\n\nexport default familyService\n"), 1)
    assert.lengthOf(await boundaryErrors('start/x.ts', "export const load = () => import('#modules/dossier/index')\n"), 1)
  })

  test("a module imports another's face only if its manifest lists it in dependsOn", async ({ assert }) => {
    const names = readdirSync(join(root, 'modules'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
    const undeclared: string[] = []
    for (const name of names) {
      const { default: manifest }: { default: ModuleManifest } = await import(`#modules/${name}/module`)
      for (const file of filesOf(join(root, 'modules', name))) {
        for (const [, other] of readFileSync(file, 'utf8').matchAll(/['"]#modules\/([^/'"]+)\//g)) {
          if (other !== name && !manifest.dependsOn.includes(other)) undeclared.push(`${file.slice(root.length)} → ${other}`)
        }
      }
    }
    assert.deepEqual(undeclared, [])
  })
})
