/*
 * The login's physical floor, measured the way anyone can reproduce it:
 *   node bench/hash_baseline.js [seconds]      (default 8)
 * argon2id with the app's parameters (read from config/hash.ts, so they cannot drift), as many
 * concurrent hashes as the libuv pool has threads (UV_THREADPOOL_SIZE, else 4), sustained for
 * the given seconds, in this process doing nothing else. Prints "<hashes/s> hashes/s" on the
 * last line (npm run bench reads it), details before it.
 */
import { readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import argon2 from 'argon2'

const seconds = Number(process.argv[2] ?? 8)
if (!Number.isFinite(seconds) || seconds <= 0) {
  console.error(`Durée invalide : « ${process.argv[2]} » (un nombre de secondes est attendu).`)
  process.exit(2)
}

/** config/hash.ts's argon2 driver options, e.g. `memory: 19456,`. */
function appParameters() {
  const source = readFileSync(new URL('../config/hash.ts', import.meta.url), 'utf8')
  const read = (name) => {
    const match = new RegExp(`\\b${name}:\\s*(0x[0-9a-f]+|\\d+|'\\w+')`).exec(source)
    if (!match) throw new Error(`config/hash.ts : paramètre « ${name} » introuvable, la mesure ne reproduirait pas le hachage de l'application.`)
    return match[1].replace(/'/g, '')
  }
  const variant = read('variant')
  return {
    type: { id: argon2.argon2id, i: argon2.argon2i, d: argon2.argon2d }[variant],
    variant,
    version: Number(read('version')),
    memoryCost: Number(read('memory')),
    timeCost: Number(read('iterations')),
    parallelism: Number(read('parallelism')),
    hashLength: Number(read('hashLength')),
    saltSize: Number(read('saltSize')),
  }
}

const { variant, saltSize, ...options } = appParameters()
const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4

// One untimed hash: loads the binding and allocates the first memory block.
await argon2.hash('échauffement', { ...options, raw: true })

let done = 0
const started = performance.now()
const deadline = started + seconds * 1000
await Promise.all(
  Array.from({ length: threads }, async () => {
    while (performance.now() < deadline) {
      // As the app's driver does: a fresh salt, the raw hash (verify is the same computation).
      await argon2.hash(`mot-de-passe-${done}`, { ...options, salt: randomBytes(saltSize), raw: true })
      done++
    }
  })
)
const elapsed = (performance.now() - started) / 1000
console.log(
  `argon2${variant} m=${options.memoryCost} t=${options.timeCost} p=${options.parallelism}, ` +
    `${threads} hachages simultanés, ${done} hachages en ${elapsed.toFixed(2)} s`
)
console.log(`${(done / elapsed).toFixed(1)} hashes/s`)
