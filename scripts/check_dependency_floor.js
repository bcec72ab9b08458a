// `npm run check:deps`: fails when any copy of a package in package-lock.json is older than the
// minimum listed in security/dependency_floor.json (one entry per advisory; the list grows).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = new URL('../', import.meta.url)
const floorFile = process.argv[2] ?? fileURLToPath(new URL('security/dependency_floor.json', root))
const lockFile = process.argv[3] ?? fileURLToPath(new URL('package-lock.json', root))

/** Parses "1.2.3", "v1.2.3-beta.1+build" into comparable parts; null when not semver. */
export function parseVersion(version) {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(String(version).trim())
  if (!match) return null
  return {
    core: [Number(match[1]), Number(match[2]), Number(match[3])],
    prerelease: match[4] ? match[4].split('.') : [],
  }
}

/** Semver precedence: negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a, b) {
  const left = parseVersion(a)
  const right = parseVersion(b)
  if (!left || !right) throw new Error(`Version illisible : ${left ? b : a}`)
  for (let i = 0; i < 3; i++) {
    if (left.core[i] !== right.core[i]) return left.core[i] - right.core[i]
  }
  // A prerelease comes before its release: 10.1.6-next.1 < 10.1.6.
  if (!left.prerelease.length || !right.prerelease.length) {
    return right.prerelease.length - left.prerelease.length
  }
  const length = Math.max(left.prerelease.length, right.prerelease.length)
  for (let i = 0; i < length; i++) {
    const x = left.prerelease[i]
    const y = right.prerelease[i]
    if (x === undefined) return -1
    if (y === undefined) return 1
    if (x === y) continue
    const xNumeric = /^\d+$/.test(x)
    const yNumeric = /^\d+$/.test(y)
    if (xNumeric && yNumeric) return Number(x) - Number(y)
    if (xNumeric) return -1
    if (yNumeric) return 1
    return x < y ? -1 : 1
  }
  return 0
}

/** Every installed copy in the lock: [{ name, version, path }] (lockfile v2/v3 and v1). */
export function lockedPackages(lock) {
  const found = []
  if (lock.packages) {
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (!path || entry.link || !entry.version) continue
      const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
      found.push({ name, version: entry.version, path })
    }
    return found
  }
  const walk = (dependencies, prefix) => {
    for (const [name, entry] of Object.entries(dependencies ?? {})) {
      const path = `${prefix}node_modules/${name}`
      if (entry.version && !entry.version.includes(':')) found.push({ name, version: entry.version, path })
      walk(entry.dependencies, `${path}/`)
    }
  }
  walk(lock.dependencies, '')
  return found
}

/** The sentences describing every copy below its floor (empty when all is fine). */
export function floorViolations(floors, packages) {
  const problems = []
  for (const floor of floors) {
    if (!parseVersion(floor.minimum)) {
      throw new Error(`security/dependency_floor.json : minimum illisible pour ${floor.package} (${floor.minimum})`)
    }
    for (const installed of packages.filter((p) => p.name === floor.package)) {
      if (!parseVersion(installed.version)) {
        problems.push(
          `${floor.package} : version installée illisible « ${installed.version} » (${installed.path}), minimum ${floor.minimum} — ${floor.advisory}.`
        )
      } else if (compareVersions(installed.version, floor.minimum) < 0) {
        problems.push(
          `${floor.package} ${installed.version} est installé (${installed.path}) mais le minimum est ${floor.minimum} : ${floor.advisory}.`
        )
      }
    }
  }
  return problems
}

function main() {
  const { floors } = JSON.parse(readFileSync(floorFile, 'utf8'))
  const lock = JSON.parse(readFileSync(lockFile, 'utf8'))
  const problems = floorViolations(floors, lockedPackages(lock))
  if (problems.length) {
    console.error(`✗ Dépendances sous le plancher de sécurité (${problems.length}) :`)
    for (const problem of problems) console.error(`  - ${problem}`)
    console.error('  Mettez ces paquets à jour (npm update <paquet>, ou overrides dans package.json) puis relancez `npm run check:deps`.')
    process.exit(1)
  }
  console.log(`✓ Plancher de sécurité respecté : ${floors.length} ${floors.length > 1 ? 'paquets vérifiés' : 'paquet vérifié'} dans package-lock.json.`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main()
