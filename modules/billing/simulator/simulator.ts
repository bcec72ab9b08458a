/*
 * A local PayFiP: the same SOAP calls (creerPaiementSecurise, recupererDetailPaiementSecurise),
 * a payment page where one can pay (card or debit), be refused or abandon; then the unsigned
 * notification to urlnotif and the browser sent to urlredirect. For the demo, the tests and
 * development only: state lives in memory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import {
  CREATE_FIELDS,
  PAYMENT_PAGE_PATH,
  SOAP_PATH,
  createFieldProblems,
  createResponse,
  detailResponse,
  escapeXml,
  faultResponse,
  operationOf,
  readFields,
  soapField,
  type CreatePaymentFields,
  type ResultCode,
} from '#modules/billing/services/payment/payfip_soap'

export interface SimulatedOperation {
  idOp: string
  fields: CreatePaymentFields
  createdAt: number
  result: ResultCode | null
  decidedAt: number | null
  numauto: string
  notifications: number
}

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

const RESULT_WORDS: Record<ResultCode, string> = {
  P: 'Paiement par carte accepté',
  V: 'Prélèvement accepté',
  R: 'Paiement par carte refusé',
  Z: 'Prélèvement refusé',
  A: 'Paiement abandonné',
}

function readBody(request: IncomingMessage, limit = 100_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk) => {
      body += chunk
      if (body.length > limit) {
        reject(new Error('Requête trop grande'))
        request.destroy()
      }
    })
    request.on('end', () => resolve(body))
    request.on('error', reject)
  })
}

function send(response: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers })
  response.end(body)
}

function euros(cents: string) {
  const value = Number(cents)
  return `${Math.floor(value / 100)},${String(value % 100).padStart(2, '0')} €`
}

function page(title: string, main: string) {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)} — PayFiP (simulateur)</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #f6f6f6; }
header, main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
header { background: #00355f; color: #fff; max-width: none; }
header p { margin: 0; max-width: 40rem; margin: 0 auto; }
.card { background: #fff; border: 1px solid #767676; border-radius: 4px; padding: 1rem; margin-bottom: 1rem; }
button { font: inherit; padding: 0.6rem 1rem; margin: 0.25rem 0.25rem 0.25rem 0; border-radius: 4px; border: 2px solid #00355f; background: #00355f; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #00355f; }
button:focus, a:focus { outline: 3px solid #b34000; outline-offset: 2px; }
dt { font-weight: 700; }
dd { margin: 0 0 0.5rem 0; }
fieldset { border: 1px solid #767676; }
</style>
</head>
<body>
<header><p><strong>PayFiP</strong> — simulateur local (aucun paiement réel)</p></header>
<main id="contenu">
${main}
</main>
</body>
</html>`
}

export async function startSimulator(port = 4800, options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const operations = new Map<string, SimulatedOperation>()
  const settings = { notify: options.notify ?? true, lifetimeMs: options.lifetimeMs ?? 15 * 60_000, log: options.log }
  const log = (line: string) => settings.log?.(line)

  function expired(operation: SimulatedOperation) {
    return Date.now() - operation.createdAt > settings.lifetimeMs
  }

  function soap(response: ServerResponse, status: number, xml: string) {
    send(response, status, 'text/xml; charset=utf-8', xml)
  }

  async function handleSoap(request: IncomingMessage, response: ServerResponse) {
    const xml = await readBody(request)
    const operation = operationOf(xml)
    if (operation === 'creerPaiementSecurise') {
      const fields = readFields(xml, CREATE_FIELDS) as unknown as CreatePaymentFields
      const problems = createFieldProblems(fields)
      if (problems.length) return soap(response, 500, faultResponse(problems[0][0], problems.map(([, label]) => label).join(' ; ')))
      const paidAlready = [...operations.values()].some(
        (item) => item.fields.refdet === fields.refdet && item.fields.numcli === fields.numcli && (item.result === 'P' || item.result === 'V')
      )
      if (paidAlready) return soap(response, 500, faultResponse('P1', 'Cette dette a déjà été payée'))
      const idOp = randomBytes(16).toString('hex')
      operations.set(idOp, {
        idOp,
        fields,
        createdAt: Date.now(),
        result: null,
        decidedAt: null,
        numauto: String(100000 + Math.floor(Math.random() * 900000)),
        notifications: 0,
      })
      log(`creerPaiementSecurise ${fields.refdet} ${fields.montant} → ${idOp}`)
      return soap(response, 200, createResponse(idOp))
    }
    if (operation === 'recupererDetailPaiementSecurise') {
      const idOp = soapField(xml, 'idOp') ?? ''
      const found = operations.get(idOp)
      if (!found) return soap(response, 500, faultResponse('P4', 'Opération inconnue'))
      // An operation left past its lifetime without a result counts as abandoned.
      const result = found.result ?? (expired(found) ? 'A' : null)
      if (!result) return soap(response, 500, faultResponse('P5', 'Résultat de la transaction non connu'))
      const at = new Date(found.decidedAt ?? Date.now())
      const pad = (value: number) => String(value).padStart(2, '0')
      return soap(
        response,
        200,
        detailResponse({
          dattrans: `${pad(at.getUTCDate())}${pad(at.getUTCMonth() + 1)}${at.getUTCFullYear()}`,
          exer: found.fields.exer,
          heurtrans: `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}`,
          idOp,
          mel: found.fields.mel,
          montant: found.fields.montant,
          numauto: result === 'P' || result === 'V' ? found.numauto : '',
          numcli: found.fields.numcli,
          objet: found.fields.objet,
          refdet: found.fields.refdet,
          resultrans: result,
          saisie: found.fields.saisie,
        })
      )
    }
    return soap(response, 500, faultResponse('S1', 'Opération SOAP inconnue'))
  }

  async function notify(operation: SimulatedOperation) {
    if (!settings.notify) return
    operation.notifications++
    try {
      await fetch(operation.fields.urlnotif, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ idOp: operation.idOp }).toString(),
        signal: AbortSignal.timeout(10_000),
      })
    } catch (error) {
      log(`notification ${operation.idOp} non remise : ${(error as Error).message}`)
    }
  }

  async function decide(idOp: string, result: ResultCode) {
    const operation = operations.get(idOp)
    if (!operation) throw new Error('Opération inconnue')
    if (!operation.result) {
      operation.result = result
      operation.decidedAt = Date.now()
      log(`${idOp} → ${result}`)
      await notify(operation)
    }
    const redirect = new URL(operation.fields.urlredirect)
    redirect.searchParams.set('idop', idOp)
    return { redirect: redirect.toString() }
  }

  function paymentPage(idOp: string | null, response: ServerResponse) {
    const operation = idOp ? operations.get(idOp) : undefined
    if (!operation) {
      return send(response, 404, 'text/html; charset=utf-8', page('Opération inconnue', '<h1>Opération inconnue</h1><p>Ce lien de paiement n’est pas valable.</p>'))
    }
    if (operation.result || expired(operation)) {
      const words = operation.result ? RESULT_WORDS[operation.result] : 'Le délai de 15 minutes est dépassé : opération expirée'
      const back = new URL(operation.fields.urlredirect)
      back.searchParams.set('idop', operation.idOp)
      return send(
        response,
        200,
        'text/html; charset=utf-8',
        page('Opération terminée', `<h1>Opération terminée</h1><p>${escapeXml(words)}.</p><p><a href="${escapeXml(back.toString())}">Retour au portail</a></p>`)
      )
    }
    const f = operation.fields
    const form = (code: ResultCode, label: string, secondary = false) =>
      `<button type="submit" name="resultat" value="${code}"${secondary ? ' class="secondary"' : ''}>${label}</button>`
    send(
      response,
      200,
      'text/html; charset=utf-8',
      page(
        'Paiement',
        `<h1>Paiement de votre facture</h1>
<div class="card">
<dl>
<dt>Objet</dt><dd>${escapeXml(f.objet)}</dd>
<dt>Référence</dt><dd>${escapeXml(f.refdet)}</dd>
<dt>Montant</dt><dd>${escapeXml(euros(f.montant))}</dd>
<dt>Adresse électronique</dt><dd>${escapeXml(f.mel)}</dd>
</dl>
${f.saisie !== 'W' ? '<p>Mode test : aucune carte n’est débitée.</p>' : ''}
</div>
<form method="post" action="${PAYMENT_PAGE_PATH}">
<input type="hidden" name="idop" value="${escapeXml(operation.idOp)}">
<fieldset>
<legend>Choisissez l’issue du paiement simulé</legend>
${form('P', 'Payer par carte')}
${form('V', 'Payer par prélèvement')}
${form('R', 'Carte refusée', true)}
${form('Z', 'Prélèvement refusé', true)}
${form('A', 'Abandonner', true)}
</fieldset>
</form>`
      )
    )
  }

  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost')
      if (request.method === 'POST' && url.pathname === SOAP_PATH) return await handleSoap(request, response)
      if (request.method === 'GET' && url.pathname === PAYMENT_PAGE_PATH) return paymentPage(url.searchParams.get('idop'), response)
      if (request.method === 'POST' && url.pathname === PAYMENT_PAGE_PATH) {
        const form = new URLSearchParams(await readBody(request))
        const idOp = form.get('idop') ?? ''
        const result = form.get('resultat') as ResultCode
        const operation = operations.get(idOp)
        if (!operation || !['P', 'V', 'R', 'Z', 'A'].includes(result)) return paymentPage(idOp, response)
        if (expired(operation) && !operation.result) return paymentPage(idOp, response)
        const { redirect } = await decide(idOp, result)
        response.writeHead(303, { location: redirect })
        return response.end()
      }
      if (request.method === 'GET' && url.pathname === '/') {
        return send(response, 200, 'text/html; charset=utf-8', page('Accueil', `<h1>Simulateur PayFiP</h1><p>${operations.size} ${operations.size >= 2 ? 'opérations' : 'opération'} en mémoire.</p>`))
      }
      send(response, 404, 'text/plain; charset=utf-8', 'Introuvable')
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
    operations,
    options: settings,
    decide,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}
