/*
 * The PayFiP web service (DGFiP, "PaiementSecuriseService"), SOAP 1.1 over HTTP: the two calls
 * the portal makes, their envelopes and the checks PayFiP applies to the fields. Shared by the
 * driver (client side) and the local simulator (server side).
 */

import { XMLParser, XMLValidator } from 'fast-xml-parser'

export const PAYFIP_NAMESPACE =
  'http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/contrat_paiement_securise/PaiementSecuriseService'
export const SOAP_PATH = '/tpa/services/securite'
export const PAYMENT_PAGE_PATH = '/tpa/paiementws.web'

export type Saisie = 'T' | 'X' | 'W'
export type ResultCode = 'P' | 'V' | 'R' | 'Z' | 'A'
export const RESULT_CODES: ResultCode[] = ['P', 'V', 'R', 'Z', 'A']

export interface CreatePaymentFields {
  exer: string
  mel: string
  /** Cents, as digits. */
  montant: string
  numcli: string
  objet: string
  refdet: string
  saisie: Saisie
  urlnotif: string
  urlredirect: string
}

export interface PaymentDetailFields {
  dattrans: string
  exer: string
  heurtrans: string
  idOp: string
  mel: string
  montant: string
  numauto: string
  numcli: string
  objet: string
  refdet: string
  resultrans: ResultCode
  saisie: Saisie
}

export const CREATE_FIELDS: (keyof CreatePaymentFields)[] = [
  'exer',
  'mel',
  'montant',
  'numcli',
  'objet',
  'refdet',
  'saisie',
  'urlnotif',
  'urlredirect',
]
export const DETAIL_FIELDS: (keyof PaymentDetailFields)[] = [
  'dattrans',
  'exer',
  'heurtrans',
  'idOp',
  'mel',
  'montant',
  'numauto',
  'numcli',
  'objet',
  'refdet',
  'resultrans',
  'saisie',
]

export function escapeXml(value: string): string {
  if (!/[&<>"']/.test(value)) return value
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
}

/** One node of fast-xml-parser's ordered output: `{ tag: children }` or `{ '#text': text }`. */
type XmlNode = Record<string, unknown>

const xmlParser = new XMLParser({
  preserveOrder: true,
  removeNSPrefix: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  htmlEntities: true,
})

/** A SOAP message read by an XML parser; a text that is not well-formed XML has no element. */
export class SoapMessage {
  private constructor(private nodes: XmlNode[]) {}

  static parse(xml: string): SoapMessage {
    return new SoapMessage(XMLValidator.validate(xml) === true ? (xmlParser.parse(xml) as XmlNode[]) : [])
  }

  /** The children of the first element with this local name (any namespace prefix), in document order. */
  private find(name: string, nodes: XmlNode[] = this.nodes): XmlNode[] | null {
    for (const node of nodes) {
      for (const [tag, children] of Object.entries(node)) {
        if (tag === '#text' || !Array.isArray(children)) continue
        if (tag === name) return children as XmlNode[]
        const found = this.find(name, children as XmlNode[])
        if (found) return found
      }
    }
    return null
  }

  has(name: string): boolean {
    return this.find(name) !== null
  }

  /** The text of the first element with this local name, or null. */
  field(name: string): string | null {
    const children = this.find(name)
    if (!children) return null
    return children
      .map((child) => ('#text' in child ? String(child['#text']) : ''))
      .join('')
      .trim()
  }
}

/** The text of the first element with this local name (any namespace prefix), or null. */
export function soapField(xml: string, name: string): string | null {
  return SoapMessage.parse(xml).field(name)
}

function envelope(body: string, prefix = 'pai') {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:${prefix}="${PAYFIP_NAMESPACE}">` +
    `<soapenv:Header/><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  )
}

function fields(values: Record<string, string>, order: string[]) {
  return order.map((name) => `<${name}>${escapeXml(values[name] ?? '')}</${name}>`).join('')
}

export function createRequest(values: CreatePaymentFields): string {
  return envelope(`<pai:creerPaiementSecurise><arg0>${fields(values as any, CREATE_FIELDS)}</arg0></pai:creerPaiementSecurise>`)
}

export function detailRequest(idOp: string): string {
  return envelope(`<pai:recupererDetailPaiementSecurise><arg0><idOp>${escapeXml(idOp)}</idOp></arg0></pai:recupererDetailPaiementSecurise>`)
}

export function createResponse(idOp: string): string {
  return envelope(`<ns2:creerPaiementSecuriseResponse xmlns:ns2="${PAYFIP_NAMESPACE}"><return><idOp>${escapeXml(idOp)}</idOp></return></ns2:creerPaiementSecuriseResponse>`, 'ns1')
}

export function detailResponse(values: PaymentDetailFields): string {
  return envelope(
    `<ns2:recupererDetailPaiementSecuriseResponse xmlns:ns2="${PAYFIP_NAMESPACE}"><return>${fields(values as any, DETAIL_FIELDS)}</return></ns2:recupererDetailPaiementSecuriseResponse>`,
    'ns1'
  )
}

/** A functional error as PayFiP sends it: a SOAP fault with a code and a label. */
export function faultResponse(code: string, label: string): string {
  return envelope(
    `<soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>${escapeXml(label)}</faultstring>` +
      `<detail><ns2:FonctionnelleErreur xmlns:ns2="${PAYFIP_NAMESPACE}"><code>${escapeXml(code)}</code>` +
      `<descriptif>${escapeXml(label)}</descriptif><libelle>${escapeXml(label)}</libelle></ns2:FonctionnelleErreur></detail></soapenv:Fault>`,
    'ns1'
  )
}

/** Which call a request envelope makes. */
export function operationOf(xml: string): 'creerPaiementSecurise' | 'recupererDetailPaiementSecurise' | null {
  const message = SoapMessage.parse(xml)
  if (message.has('creerPaiementSecurise')) return 'creerPaiementSecurise'
  if (message.has('recupererDetailPaiementSecurise')) return 'recupererDetailPaiementSecurise'
  return null
}

export function readFields<K extends string>(xml: string, names: K[]): Record<K, string> {
  const message = SoapMessage.parse(xml)
  const out = {} as Record<K, string>
  for (const name of names) out[name] = message.field(name) ?? ''
  return out
}

/** "objet": at most 100 plain characters (letters without accents, digits, spaces). */
export function plainObject(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100)
    .trim()
}

/** The checks PayFiP applies to creerPaiementSecurise; returns [code, label] pairs. */
export function createFieldProblems(values: CreatePaymentFields): [string, string][] {
  const problems: [string, string][] = []
  if (!/^\d{4}$/.test(values.exer)) problems.push(['E1', 'exer : année sur 4 chiffres attendue'])
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.mel) || values.mel.length > 80) problems.push(['E2', 'mel : adresse électronique invalide'])
  if (!/^\d+$/.test(values.montant) || Number(values.montant) < 100 || Number(values.montant) > 10_000_000) {
    problems.push(['E3', 'montant : en centimes, de 100 (1 €) à 10000000 (100 000 €)'])
  }
  if (!/^\d{6}$/.test(values.numcli)) problems.push(['E4', 'numcli : 6 chiffres attendus'])
  if (!values.objet || values.objet.length > 100 || /[^A-Za-z0-9 ]/.test(values.objet)) {
    problems.push(['E5', 'objet : 1 à 100 caractères simples (lettres sans accent, chiffres, espaces)'])
  }
  if (!/^[A-Za-z0-9]{1,30}$/.test(values.refdet)) problems.push(['E6', 'refdet : 1 à 30 lettres et chiffres'])
  if (!['T', 'X', 'W'].includes(values.saisie)) problems.push(['E7', 'saisie : T, X ou W'])
  for (const name of ['urlnotif', 'urlredirect'] as const) {
    if (!/^https?:\/\/\S+$/.test(values[name]) || values[name].length > 250) problems.push(['E8', `${name} : adresse web invalide`])
  }
  return problems
}
