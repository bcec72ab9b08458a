import {
  CREATE_FIELDS,
  createFieldProblems,
  createResponse,
  detailResponse,
  faultResponse,
  operationOf,
  readFields,
  soapField,
  type CreatePaymentFields,
} from '#modules/billing/services/payment/payfip_soap'
import type { OperationLedger } from '#modules/billing/simulator/operation_ledger'

/** A SOAP answer: the HTTP status and the envelope. */
export interface SoapAnswer {
  status: number
  xml: string
}

function fault(code: string, message: string): SoapAnswer {
  return { status: 500, xml: faultResponse(code, message) }
}

function createPayment(xml: string, ledger: OperationLedger): SoapAnswer {
  const fields = readFields(xml, CREATE_FIELDS) as unknown as CreatePaymentFields
  const problems = createFieldProblems(fields)
  if (problems.length) return fault(problems[0][0], problems.map(([, label]) => label).join(' ; '))
  if (ledger.paidAlready(fields)) return fault('P1', 'Cette dette a déjà été payée')
  const { idOp } = ledger.create(fields)
  ledger.log(`creerPaiementSecurise ${fields.refdet} ${fields.montant} → ${idOp}`)
  return { status: 200, xml: createResponse(idOp) }
}

function paymentDetail(xml: string, ledger: OperationLedger): SoapAnswer {
  const idOp = soapField(xml, 'idOp') ?? ''
  const found = ledger.operations.get(idOp)
  if (!found) return fault('P4', 'Opération inconnue')
  // An operation left past its lifetime without a result counts as abandoned.
  const result = found.result ?? (ledger.expired(found) ? 'A' : null)
  if (!result) return fault('P5', 'Résultat de la transaction non connu')
  const at = new Date(found.decidedAt ?? Date.now())
  const pad = (value: number) => String(value).padStart(2, '0')
  return {
    status: 200,
    xml: detailResponse({
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
    }),
  }
}

/** PayFiP's two SOAP calls: creerPaiementSecurise and recupererDetailPaiementSecurise. */
export function answerSoap(xml: string, ledger: OperationLedger): SoapAnswer {
  const operation = operationOf(xml)
  if (operation === 'creerPaiementSecurise') return createPayment(xml, ledger)
  if (operation === 'recupererDetailPaiementSecurise') return paymentDetail(xml, ledger)
  return fault('S1', 'Opération SOAP inconnue')
}
