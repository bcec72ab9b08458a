/*
 * The module scenarios: modules/<name>/bench/*.ts files exporting { name, run } (bench/types.ts),
 * module after module in the portal's dependency order (app/core/module_catalog.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { discoverModules, modulePath } from '#core/module_catalog'
import type { BenchScenario } from './types.js'

/** modules/<name>/bench/*.ts, except helpers: `_*.ts`, `*_worker.ts`, `*.d.ts`. */
function isScenarioFile(file: string) {
  return file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.startsWith('_') && !file.endsWith('_worker.ts')
}

export async function moduleScenarios(modules?: string, only?: string): Promise<{ module: string; scenario: BenchScenario }[]> {
  const enabled = modules?.split(',').map((name) => name.trim()).filter(Boolean)
  const chosen = only?.split(',').map((name) => name.trim()).filter(Boolean)
  const found: { module: string; scenario: BenchScenario }[] = []
  for (const { name: module } of await discoverModules()) {
    if (enabled?.length && !enabled.includes(module)) continue
    if (chosen?.length && !chosen.includes(module)) continue
    const dir = modulePath(module, 'bench')
    if (!existsSync(dir)) continue
    for (const file of readdirSync(dir).filter(isScenarioFile).sort()) {
      // Workers and helpers may run code at import (boot the app...): only scenario files are imported.
      const source = readFileSync(join(dir, file), 'utf8')
      if (!/export\s+(default|const\s+scenarios?\b)/.test(source)) continue
      let exported: Record<string, any>
      try {
        exported = await import(pathToFileURL(join(dir, file)).href)
      } catch (error) {
        console.error(`  ✗ modules/${module}/bench/${file} ne se charge pas : ${(error as Error).message}`)
        process.exitCode = 1
        continue
      }
      const candidates = [exported.default, exported.scenario, ...(exported.scenarios ?? [])].flat()
      for (const scenario of candidates) {
        if (scenario && typeof scenario.name === 'string' && typeof scenario.run === 'function') {
          found.push({ module, scenario })
        }
      }
    }
  }
  return found
}

