/**
 * PayFiP (DGFiP) settings, read from the environment inside the module. By default they point
 * to the local simulator (modules/billing/simulator, port 4800) in test mode.
 *   PAYFIP_URL     base URL of the service: SOAP endpoint `${url}/tpa/services/securite`,
 *                  payment page `${url}/tpa/paiementws.web?idop=...`
 *                  (production: https://www.payfip.gouv.fr)
 *   PAYFIP_NUMCLI  the commune's 6-digit client number
 *   PAYFIP_MODE    T (test), X (activation) or W (production)
 *   PAYFIP_PUBLIC_URL  the portal's public address PayFiP calls back (default APP_URL or http://HOST:PORT)
 */
export type PayfipMode = 'T' | 'X' | 'W'

function mode(value: string | undefined): PayfipMode {
  const upper = (value ?? 'T').trim().toUpperCase()
  if (upper === 'T' || upper === 'X' || upper === 'W') return upper
  throw new Error(`PAYFIP_MODE doit valoir T (test), X (activation) ou W (production), pas « ${value} ».`)
}

function publicUrl() {
  const explicit = process.env.PAYFIP_PUBLIC_URL || process.env.APP_URL
  if (explicit) return explicit.replace(/\/+$/, '')
  // The parent's browser comes back here: keep the host the portal is browsed on (its cookies).
  const host = process.env.HOST && process.env.HOST !== '0.0.0.0' ? process.env.HOST : '127.0.0.1'
  return `http://${host}:${process.env.PORT ?? 3333}`
}

const payfipConfig = {
  get url() {
    return (process.env.PAYFIP_URL || 'http://127.0.0.1:4800').replace(/\/+$/, '')
  },
  get numcli() {
    return process.env.PAYFIP_NUMCLI || '000000'
  },
  get mode(): PayfipMode {
    return mode(process.env.PAYFIP_MODE)
  },
  get publicUrl() {
    return publicUrl()
  },
  /** An idOp lives 15 minutes at PayFiP. */
  operationLifetimeMinutes: 15,
  /** Amounts PayFiP accepts, in cents (1 € to 100 000 €). */
  minAmountCents: 100,
  maxAmountCents: 10_000_000,
}

export default payfipConfig
