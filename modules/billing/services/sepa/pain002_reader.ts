import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { BillingError } from '#modules/billing/services/billing_error'

/** The only return format read: the ISO 20022 Customer Payment Status Report, version 03. */
export const PAIN002_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.002.001.03'

/** A debit (or all those of a PmtInf, or of the whole file) the bank rejected, with its reason code. */
export type Rejection =
  | { scope: 'group'; code: string | null }
  | { scope: 'payment'; paymentInfoId: string; code: string | null }
  | { scope: 'transaction'; paymentInfoId: string | null; endToEndId: string; code: string | null }

export interface StatusReport {
  /** The report's own MsgId (GrpHdr). */
  messageId: string
  /** ISO day the bank made the report: the day the debits are recorded as rejected. */
  reportedOn: string
  /** The MsgId of our pain.008 file it answers. */
  originalMessageId: string
  /** Every PmtInfId the report names (to check they are ours). */
  paymentInfoIds: string[]
  rejections: Rejection[]
}

/** A file that is not a readable pain.002.001.03 report; the message says where and why, in French. */
export class StatusReportError extends BillingError {}

const REPEATED = new Set(['OrgnlPmtInfAndSts', 'TxInfAndSts', 'StsRsnInf'])

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
})

type Node = Record<string, any>

const VALIDATOR_MESSAGES: Record<string, string> = {
  InvalidTag: 'balise mal formée, mal fermée ou inattendue',
  InvalidAttr: 'attribut mal formé',
  InvalidXml: 'XML mal formé',
  InvalidChar: 'caractère interdit à cet endroit',
}

/** fast-xml-parser's English detail reduced to the names it quotes: "(balises : b, a)". */
function validatorMessage(error: { code: string; msg: string }): string {
  const names = [...error.msg.matchAll(/'([^']{1,60})'/g)].map((match) => match[1])
  const base = VALIDATOR_MESSAGES[error.code] ?? 'XML mal formé'
  if (/closing tag/i.test(error.msg) && names.length >= 2) return `${base} : fermeture de <${names[1]}> alors que <${names[0]}> est encore ouverte`
  if (/closed but not opened|never opened/i.test(error.msg) && names.length) return `${base} : <${names[0]}> fermée sans avoir été ouverte`
  if (/unclosed|not closed/i.test(error.msg) && names.length) return `${base} : <${names[0]}> n’est pas fermée`
  return names.length ? `${base} (${names.join(', ')})` : base
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null
  if (typeof value === 'object') return null
  const trimmed = String(value).trim()
  return trimmed || null
}

function reasonCode(node: Node | undefined): string | null {
  const first = (node?.StsRsnInf as Node[] | undefined)?.[0]
  return text(first?.Rsn?.Cd) ?? text(first?.Rsn?.Prtry)
}

/**
 * Reads a bank's pain.002.001.03 status report: which of our debits it rejects and why. Pure;
 * a malformed file is refused with "file:line:column: message", another format by its name.
 */
export function readStatusReport(xml: string, fileName: string): StatusReport {
  const checked = XMLValidator.validate(xml)
  if (checked !== true) {
    throw new StatusReportError(`${fileName}:${checked.err.line}:${checked.err.col}: ${validatorMessage(checked.err)}`)
  }
  const namespace = /<(?:[\w.-]+:)?Document\b[^>]*?\sxmlns(?::[\w.-]+)?\s*=\s*["']([^"']+)["']/.exec(xml)?.[1] ?? null
  if (namespace !== PAIN002_NAMESPACE) {
    const kind = namespace?.match(/(camt|pain|pacs)\.\d{3}\.\d{3}\.\d{2}/)?.[0]
    throw new StatusReportError(
      kind
        ? `${fileName} : ce fichier est un message ${kind} ; seul le compte rendu de statut pain.002.001.03 (Customer Payment Status Report) est accepté.`
        : `${fileName} : ce fichier n’est pas un compte rendu de statut pain.002.001.03 (élément Document de l’espace de noms ${PAIN002_NAMESPACE} attendu).`
    )
  }
  const report: Node | undefined = (parser.parse(xml) as Node).Document?.CstmrPmtStsRpt
  if (!report || typeof report !== 'object') throw new StatusReportError(`${fileName} : élément CstmrPmtStsRpt manquant.`)
  const required = (value: unknown, path: string) => {
    const found = text(value)
    if (!found) throw new StatusReportError(`${fileName} : élément ${path} manquant ou vide.`)
    return found
  }
  const messageId = required(report.GrpHdr?.MsgId, 'GrpHdr/MsgId')
  const createdAt = required(report.GrpHdr?.CreDtTm, 'GrpHdr/CreDtTm')
  if (!/^\d{4}-\d{2}-\d{2}/.test(createdAt)) throw new StatusReportError(`${fileName} : date GrpHdr/CreDtTm invalide : « ${createdAt} ».`)
  const group: Node = report.OrgnlGrpInfAndSts ?? {}
  const originalMessageId = required(group.OrgnlMsgId, 'OrgnlGrpInfAndSts/OrgnlMsgId')
  const originalName = text(group.OrgnlMsgNmId)
  if (originalName && !originalName.startsWith('pain.008')) {
    throw new StatusReportError(`${fileName} : ce compte rendu répond à un message ${originalName}, pas à un fichier de prélèvement (pain.008).`)
  }

  const rejections: Rejection[] = []
  const paymentInfoIds: string[] = []
  if (text(group.GrpSts) === 'RJCT') rejections.push({ scope: 'group', code: reasonCode(group) })
  for (const payment of (report.OrgnlPmtInfAndSts ?? []) as Node[]) {
    const paymentInfoId = required(payment.OrgnlPmtInfId, 'OrgnlPmtInfAndSts/OrgnlPmtInfId')
    paymentInfoIds.push(paymentInfoId)
    if (text(payment.PmtInfSts) === 'RJCT') rejections.push({ scope: 'payment', paymentInfoId, code: reasonCode(payment) })
    for (const transaction of (payment.TxInfAndSts ?? []) as Node[]) {
      if (text(transaction.TxSts) !== 'RJCT') continue
      const endToEndId = required(transaction.OrgnlEndToEndId, `OrgnlPmtInfAndSts (${paymentInfoId})/TxInfAndSts/OrgnlEndToEndId`)
      rejections.push({ scope: 'transaction', paymentInfoId, endToEndId, code: reasonCode(transaction) ?? reasonCode(payment) })
    }
  }
  return { messageId, reportedOn: createdAt.slice(0, 10), originalMessageId, paymentInfoIds, rejections }
}
