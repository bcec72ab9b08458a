// `npm test`: every suite. Without Chromium, the browser suite is skipped and says so.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path) => path && existsSync(path)
)
const args = process.argv.slice(2)
// `npm test -- unit functional` names its suites itself.
const namesSuites = args.some((arg) => ['unit', 'functional', 'browser'].includes(arg))
const suites = chromium || namesSuites ? [] : ['unit', 'functional']
if (!chromium && !namesSuites) {
  console.log(
    '\n⚠ Suite « browser » ignorée : Chromium est introuvable. Installez-le avec `apt-get install -y chromium` (ou indiquez CHROMIUM_PATH), puis relancez `npm test`.\n'
  )
}
const result = spawnSync(process.execPath, ['ace', 'test', ...suites, ...args], {
  stdio: 'inherit',
  env: process.env,
})
process.exit(result.status ?? 1)
