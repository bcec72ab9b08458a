/*
 * `node ace build` hook (adonisrc.ts, onBuildCompleted): the production build ships no test files
 * and no benchmark (bench/, modules/<name>/bench/: scenarios, bench routes and bench commands).
 * `npm run bench` builds with PORTAL_BENCH_BUILD=1 to keep them: it runs the compiled app with
 * its bench routes and commands.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export default async function pruneBuild({ logger }: { logger: { info(message: string): void } }) {
  const keepBench = process.env.PORTAL_BENCH_BUILD === '1'
  pruneBuildFolder(fileURLToPath(new URL('../build/', import.meta.url)), keepBench)
  logger.info(`build : fichiers de test${keepBench ? '' : ' et de banc d’essai'} retirés`)
}

/** Removes the test files (and, unless `keepBench`, the benchmark) from a build folder. */
export function pruneBuildFolder(build: string, keepBench: boolean) {
  const modules = existsSync(join(build, 'modules')) ? readdirSync(join(build, 'modules')) : []
  const doomed = [
    'tests',
    'bin/test.js',
    ...modules.map((name) => `modules/${name}/tests`),
    ...(keepBench ? [] : ['bench', ...modules.map((name) => `modules/${name}/bench`)]),
  ]
  for (const path of doomed) rmSync(join(build, path), { recursive: true, force: true })
}
