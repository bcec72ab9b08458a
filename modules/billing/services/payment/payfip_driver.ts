import type { PayfipMode } from '#modules/billing/config/payfip'
import {
  PAYMENT_PAGE_PATH,
  SOAP_PATH,
  createFieldProblems,
  createRequest,
  detailRequest,
  plainObject,
  SoapMessage,
  type CreatePaymentFields,
} from '#modules/billing/services/payment/payfip_soap'
import {
  PaymentProviderError,
  type CreatedOperation,
  type OperationDetail,
  type PaymentDriver,
  type PaymentRequest,
} from '#modules/billing/services/payment/payment_driver'

export interface PayfipOptions {
  /** https://www.payfip.gouv.fr in production, the simulator's address otherwise. */
  url: string
  numcli: string
  mode: PayfipMode
  timeoutMs?: number
}

/** PayFiP (DGFiP): creerPaiementSecurise, redirect with idop, recupererDetailPaiementSecurise. */
export default class PayfipDriver implements PaymentDriver {
  readonly name = 'payfip'

  constructor(private options: PayfipOptions) {}

  paymentPageUrl(idOp: string) {
    return `${this.options.url}${PAYMENT_PAGE_PATH}?idop=${encodeURIComponent(idOp)}`
  }

  async create(request: PaymentRequest): Promise<CreatedOperation> {
    const fields: CreatePaymentFields = {
      exer: String(request.year),
      mel: request.email.trim(),
      montant: String(request.amountCents),
      numcli: this.options.numcli,
      objet: plainObject(request.object),
      refdet: request.reference,
      saisie: this.options.mode,
      urlnotif: request.notifyUrl,
      urlredirect: request.returnUrl,
    }
    const problems = createFieldProblems(fields)
    if (problems.length) throw new PaymentProviderError(problems.map(([, label]) => label).join(' ; '), problems[0][0])
    const answer = await this.call(createRequest(fields), 'creerPaiementSecurise')
    const idOp = answer.field('idOp')
    if (!idOp) throw new PaymentProviderError('Réponse PayFiP sans idOp')
    return { idOp, paymentUrl: this.paymentPageUrl(idOp) }
  }

  async detail(idOp: string): Promise<OperationDetail> {
    let answer: SoapMessage
    try {
      answer = await this.call(detailRequest(idOp), 'recupererDetailPaiementSecurise')
    } catch (error) {
      // P5: the transaction's result is not known yet (the parent is still on the page).
      if (error instanceof PaymentProviderError && error.code === 'P5') {
        return { idOp, outcome: 'pending', code: null, amountCents: null, reference: null, authorizationNumber: null, method: null }
      }
      throw error
    }
    const code = answer.field('resultrans') ?? ''
    const amount = answer.field('montant')
    const outcome = code === 'P' || code === 'V' ? 'paid' : code === 'R' || code === 'Z' ? 'refused' : code === 'A' ? 'abandoned' : null
    if (!outcome) throw new PaymentProviderError(`Code résultat PayFiP inconnu : « ${code} »`)
    if (answer.field('idOp') !== idOp) throw new PaymentProviderError('Réponse PayFiP pour une autre opération')
    return {
      idOp,
      outcome,
      code,
      amountCents: amount && /^\d+$/.test(amount) ? Number(amount) : null,
      reference: answer.field('refdet'),
      authorizationNumber: answer.field('numauto') || null,
      method: code === 'P' ? 'card' : code === 'V' ? 'debit' : null,
    }
  }

  private async call(body: string, action: string): Promise<SoapMessage> {
    let response: Response
    try {
      response = await fetch(`${this.options.url}${SOAP_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', 'soapaction': `"${action}"` },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      })
    } catch (error) {
      throw new PaymentProviderError(`PayFiP injoignable (${(error as Error).message})`)
    }
    // Not well-formed XML reads as a message without any element: refused below or by the caller.
    const answer = SoapMessage.parse(await response.text())
    if (answer.has('Fault')) {
      throw new PaymentProviderError(answer.field('libelle') ?? answer.field('faultstring') ?? 'Erreur PayFiP', answer.field('code'))
    }
    if (!response.ok) throw new PaymentProviderError(`PayFiP a répondu ${response.status}`)
    return answer
  }
}
