/*
 * The PayFiP simulator as a standalone server:
 *   node --import=ts-node-maintained/register/esm modules/billing/simulator/server.ts --port 4800
 * then PAYFIP_URL=http://127.0.0.1:4800 (the default) for the portal.
 */
import { Command } from 'commander'
import { startSimulator } from './simulator.js'

const program = new Command()
  .name('payfip-simulator')
  .description('Simulateur PayFiP local : appels SOAP, page de paiement, notification et retour.')
  .option('-p, --port <port>', 'port d’écoute (127.0.0.1)', '4800')
  .option('--no-notify', 'ne pas envoyer la notification à urlnotif (pour tester le rapprochement)')
  .option('--lifetime <minutes>', 'durée de vie d’un idOp', '15')
  .parse()

const options = program.opts<{ port: string; notify: boolean; lifetime: string }>()
const port = Number(options.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port attend un numéro de port (reçu « ${options.port} »).`)
  process.exit(2)
}

const simulator = await startSimulator(port, {
  notify: options.notify,
  lifetimeMs: Math.max(1, Number(options.lifetime) || 15) * 60_000,
  log: (line) => console.log(`[payfip] ${line}`),
})
console.log(`Simulateur PayFiP prêt sur ${simulator.url} (page de paiement ${simulator.url}/tpa/paiementws.web?idop=…)`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    await simulator.close()
    process.exit(0)
  })
}
