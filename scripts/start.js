// `npm start`: from a fresh clone to a running portal with the demo commune, on SQLite.
// Creates .env (with a random APP_KEY) if missing, migrates, seeds the demo once, prints
// the demo logins, then serves http://localhost:3333.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { SERVER_NODE_FLAGS } from './server_node_flags.js'

if (!existsSync('.env')) {
  const example = readFileSync('.env.example', 'utf8')
  // The demo commune offers direct debit: a demo creditor identifier (ICS), never a real one.
  // The family quotient is fetched from the local API Particulier stand-in (test identities).
  // and "S'identifier avec FranceConnect" through a local FranceConnect (two demo identities).
  const demo = example
    .replace(/^# SEPA_CREDITOR_ID=.*$/m, 'SEPA_CREDITOR_ID=FR72ZZZ123456')
    // The demo commune's accounting identifiers for the PES V2 export (demo values, see .env.example).
    .replace(/^# (PES_[A-Z_]+=.*)$/gm, '$1')
    .replace(/^# SEPA_CREDITOR_IBAN=(.*)$/m, 'SEPA_CREDITOR_IBAN=$1')
    .replace(/^# SEPA_CREDITOR_BIC=(.*)$/m, 'SEPA_CREDITOR_BIC=$1')
    .replace(/^# API_PARTICULIER_DEMO=.*$/m, 'API_PARTICULIER_DEMO=1')
    .replace(/^# FRANCECONNECT_DEMO=.*$/m, 'FRANCECONNECT_DEMO=1')
  writeFileSync('.env', demo.replace(/^APP_KEY=.*$/m, `APP_KEY=${randomBytes(24).toString('base64url')}`))
  console.log('Fichier .env créé à partir de .env.example (base SQLite dans tmp/).')
}

function ace(...args) {
  const result = spawnSync(process.execPath, ['ace', ...args], { stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

ace('migration:run', '--force')
ace('portal:demo')

const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import=ts-node-maintained/register/esm', '--enable-source-maps', 'bin/server.ts'], {
  stdio: 'inherit',
})
console.log('Portail Famille : http://localhost:3333 (Ctrl+C pour arrêter)')
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code) => process.exit(code ?? 0))
