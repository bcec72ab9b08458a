/*
 * A local PayFiP: the same SOAP calls (creerPaiementSecurise, recupererDetailPaiementSecurise),
 * a payment page where one can pay (card or debit), be refused or abandon; then the unsigned
 * notification to urlnotif and the browser sent to urlredirect. For the demo, the tests and
 * development only: state lives in memory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PAYMENT_PAGE_PATH, SOAP_PATH, type ResultCode } from '#modules/billing/services/payment/payfip_soap'
import { OperationLedger, type SimulatedOperation } from '#modules/billing/simulator/operation_ledger'
import { answerSoap } from '#modules/billing/simulator/soap_endpoint'
import { finishedPage, homePage, paymentFormPage, unknownOperationPage } from '#modules/billing/simulator/payment_pages'
import { readBody, send, sendHtml } from '#modules/billing/simulator/request_io'

export type { SimulatedOperation } from '#modules/billing/simulator/operation_ledger'

export interface SimulatorOptions {
  /** Send the notification to urlnotif (off to test the reconciliation job). Default true. */
  notify?: boolean
  /** Lifetime of an idOp in ms (15 minutes). */
  lifetimeMs?: number
  log?: (line: string) => void
}

export interface RunningSimulator {
  url: string
  port: number
  server: Server
  operations: Map<string, SimulatedOperation>
  options: Required<Omit<SimulatorOptions, 'log'>> & Pick<SimulatorOptions, 'log'>
  /** Decides an operation as the payment page would (tests without a browser). */
  decide(idOp: string, result: ResultCode): Promise<{ redirect: string }>
  close(): Promise<void>
}

const RESULT_CODES = ['P', 'V', 'R', 'Z', 'A']

/** The payment page of an operation: its form, or its outcome once decided or expired. */
function showPaymentPage(ledger: OperationLedger, idOp: string | null, response: ServerResponse) {
  const operation = idOp ? ledger.operations.get(idOp) : undefined
  if (!operation) return sendHtml(response, 404, unknownOperationPage())
  if (operation.result || ledger.expired(operation)) return sendHtml(response, 200, finishedPage(operation))
  sendHtml(response, 200, paymentFormPage(operation))
}

/** The payment page's form sent: the operation decided, the browser sent back to the portal. */
async function receivePaymentChoice(ledger: OperationLedger, request: IncomingMessage, response: ServerResponse) {
  const form = new URLSearchParams(await readBody(request))
  const idOp = form.get('idop') ?? ''
  const result = form.get('resultat') as ResultCode
  const operation = ledger.operations.get(idOp)
  if (!operation || !RESULT_CODES.includes(result)) return showPaymentPage(ledger, idOp, response)
  if (ledger.expired(operation) && !operation.result) return showPaymentPage(ledger, idOp, response)
  const { redirect } = await ledger.decide(idOp, result)
  response.writeHead(303, { location: redirect })
  response.end()
}

async function route(ledger: OperationLedger, request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? '/', 'http://localhost')
  if (request.method === 'POST' && url.pathname === SOAP_PATH) {
    const { status, xml } = answerSoap(await readBody(request), ledger)
    return send(response, status, 'text/xml; charset=utf-8', xml)
  }
  if (request.method === 'GET' && url.pathname === PAYMENT_PAGE_PATH) return showPaymentPage(ledger, url.searchParams.get('idop'), response)
  if (request.method === 'POST' && url.pathname === PAYMENT_PAGE_PATH) return receivePaymentChoice(ledger, request, response)
  if (request.method === 'GET' && url.pathname === '/') return sendHtml(response, 200, homePage(ledger.operations.size))
  send(response, 404, 'text/plain; charset=utf-8', 'Introuvable')
}

export async function startSimulator(port = 4800, options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const settings = { notify: options.notify ?? true, lifetimeMs: options.lifetimeMs ?? 15 * 60_000, log: options.log }
  const ledger = new OperationLedger(settings)
  const server = createServer(async (request, response) => {
    try {
      await route(ledger, request, response)
    } catch (error) {
      send(response, 500, 'text/plain; charset=utf-8', (error as Error).message)
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const actualPort = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    server,
    operations: ledger.operations,
    options: settings,
    decide: (idOp, result) => ledger.decide(idOp, result),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}
