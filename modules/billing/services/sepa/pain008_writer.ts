import type { MandateSequence } from '#modules/billing/models/sepa_mandate'
import { decimalAmount, sepaIdError, sepaText, xmlEscape } from '#modules/billing/services/sepa/sepa_text'
import type { LoopShare } from '#core/loop_share'

export interface Pain008Transaction {
  endToEndId: string
  amountCents: number
  sequence: MandateSequence
  /** The mandate's RUM and its signature day (ISO). */
  rum: string
  signedOn: string
  debtorName: string
  iban: string
  bic: string | null
  /** What the family reads on its bank statement. */
  remittance: string
}

export interface Pain008Batch {
  messageId: string
  /** ISO date-time of creation, without milliseconds. */
  createdAt: string
  collectionDate: string
  creditor: { name: string; ics: string; iban: string; bic: string | null }
  transactions: Pain008Transaction[]
}

const SEQUENCES: MandateSequence[] = ['FRST', 'RCUR']

const sum = (transactions: Pain008Transaction[]) => transactions.reduce((total, transaction) => total + transaction.amountCents, 0)

function element(name: string, value: string) {
  return `<${name}>${xmlEscape(value)}</${name}>`
}

function agent(bic: string | null) {
  return bic ? `<FinInstnId>${element('BIC', bic)}</FinInstnId>` : '<FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId>'
}

function transaction(item: Pain008Transaction) {
  return [
    '<DrctDbtTxInf>',
    `<PmtId>${element('EndToEndId', item.endToEndId)}</PmtId>`,
    `<InstdAmt Ccy="EUR">${decimalAmount(item.amountCents)}</InstdAmt>`,
    `<DrctDbtTx><MndtRltdInf>${element('MndtId', item.rum)}${element('DtOfSgntr', item.signedOn)}</MndtRltdInf></DrctDbtTx>`,
    `<DbtrAgt>${agent(item.bic)}</DbtrAgt>`,
    `<Dbtr>${element('Nm', sepaText(item.debtorName, 70))}</Dbtr>`,
    `<DbtrAcct><Id>${element('IBAN', item.iban)}</Id></DbtrAcct>`,
    `<RmtInf>${element('Ustrd', sepaText(item.remittance, 140))}</RmtInf>`,
    '</DrctDbtTxInf>',
  ].join('\n')
}

type Render = (item: Pain008Transaction) => string

function paymentInformation(batch: Pain008Batch, sequence: MandateSequence, transactions: Pain008Transaction[], render: Render) {
  const creditorName = sepaText(batch.creditor.name, 70)
  return [
    '<PmtInf>',
    element('PmtInfId', `${batch.messageId}-${sequence}`),
    '<PmtMtd>DD</PmtMtd>',
    '<BtchBookg>true</BtchBookg>',
    `<NbOfTxs>${transactions.length}</NbOfTxs>`,
    `<CtrlSum>${decimalAmount(sum(transactions))}</CtrlSum>`,
    `<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl><LclInstrm><Cd>CORE</Cd></LclInstrm><SeqTp>${sequence}</SeqTp></PmtTpInf>`,
    element('ReqdColltnDt', batch.collectionDate),
    `<Cdtr>${element('Nm', creditorName)}</Cdtr>`,
    `<CdtrAcct><Id>${element('IBAN', batch.creditor.iban)}</Id></CdtrAcct>`,
    `<CdtrAgt>${agent(batch.creditor.bic)}</CdtrAgt>`,
    '<ChrgBr>SLEV</ChrgBr>',
    `<CdtrSchmeId><Id><PrvtId><Othr>${element('Id', batch.creditor.ics)}<SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></CdtrSchmeId>`,
    ...transactions.map(render),
    '</PmtInf>',
  ].join('\n')
}

/**
 * The ISO 20022 pain.008.001.02 file (SEPA Core direct debit) of a batch: one PmtInf per
 * sequence type (FRST, RCUR), counts and control sums exact at both levels, amounts as
 * decimal strings, names transliterated to the SEPA character set and escaped. Pure: the same
 * batch always gives the same bytes.
 */
export function writePain008(batch: Pain008Batch): string {
  return assemble(batch, transaction)
}

/** The same file, giving the event loop back between transactions (a month's file in the server's process). */
export async function writePain008Sharing(batch: Pain008Batch, share: LoopShare): Promise<string> {
  const rendered = new Map<Pain008Transaction, string>()
  for (const item of batch.transactions) {
    rendered.set(item, transaction(item))
    await share.turn()
  }
  return assemble(batch, (item) => rendered.get(item)!)
}

function assemble(batch: Pain008Batch, render: Render): string {
  if (!batch.transactions.length) throw new Error('Un fichier de prélèvement sans opération ne peut pas être écrit.')
  const ids = [batch.messageId, ...SEQUENCES.map((sequence) => `${batch.messageId}-${sequence}`), ...batch.transactions.map((item) => item.endToEndId)]
  for (const id of ids) {
    const problem = sepaIdError(id)
    if (problem) throw new Error(problem)
  }
  if (new Set(batch.transactions.map((item) => item.endToEndId)).size !== batch.transactions.length) throw new Error('Deux opérations du lot ont le même EndToEndId.')
  const groups = SEQUENCES.map((sequence) => ({ sequence, transactions: batch.transactions.filter((item) => item.sequence === sequence) })).filter(
    (group) => group.transactions.length
  )
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.02" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    '<CstmrDrctDbtInitn>',
    '<GrpHdr>',
    element('MsgId', batch.messageId),
    element('CreDtTm', batch.createdAt),
    `<NbOfTxs>${batch.transactions.length}</NbOfTxs>`,
    `<CtrlSum>${decimalAmount(sum(batch.transactions))}</CtrlSum>`,
    `<InitgPty>${element('Nm', sepaText(batch.creditor.name, 70))}</InitgPty>`,
    '</GrpHdr>',
    ...groups.map((group) => paymentInformation(batch, group.sequence, group.transactions, render)),
    '</CstmrDrctDbtInitn>',
    '</Document>',
    '',
  ].join('\n')
}
