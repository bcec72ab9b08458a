/* Builds a bank's pain.002.001.03 status report for the tests (not a spec file). */
export interface ReportTransaction {
  endToEndId: string
  status?: 'RJCT' | 'ACCP' | 'ACSC'
  reason?: string
}

export interface ReportPayment {
  id: string
  status?: 'RJCT' | 'PART' | 'ACCP'
  reason?: string
  transactions?: ReportTransaction[]
}

const reasonXml = (code?: string) => (code ? `<StsRsnInf><Rsn><Cd>${code}</Cd></Rsn></StsRsnInf>` : '')

export function pain002(report: {
  messageId?: string
  createdAt?: string
  originalMessageId: string
  originalName?: string
  groupStatus?: 'RJCT' | 'PART' | 'ACCP'
  groupReason?: string
  payments?: ReportPayment[]
  namespace?: string
}): string {
  const payments = (report.payments ?? [])
    .map(
      (payment) =>
        `<OrgnlPmtInfAndSts><OrgnlPmtInfId>${payment.id}</OrgnlPmtInfId>${payment.status ? `<PmtInfSts>${payment.status}</PmtInfSts>` : ''}${reasonXml(payment.reason)}` +
        (payment.transactions ?? [])
          .map(
            (transaction, index) =>
              `<TxInfAndSts><StsId>ST-${index + 1}</StsId><OrgnlEndToEndId>${transaction.endToEndId}</OrgnlEndToEndId><TxSts>${transaction.status ?? 'RJCT'}</TxSts>${reasonXml(transaction.reason)}</TxInfAndSts>`
          )
          .join('\n') +
        '</OrgnlPmtInfAndSts>'
    )
    .join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="${report.namespace ?? 'urn:iso:std:iso:20022:tech:xsd:pain.002.001.03'}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<CstmrPmtStsRpt>
<GrpHdr><MsgId>${report.messageId ?? 'BANQUE-RET-0001'}</MsgId><CreDtTm>${report.createdAt ?? '2026-11-12T08:30:00'}</CreDtTm><InitgPty><Nm>BANQUE</Nm></InitgPty></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>${report.originalMessageId}</OrgnlMsgId><OrgnlMsgNmId>${report.originalName ?? 'pain.008.001.02'}</OrgnlMsgNmId>${report.groupStatus ? `<GrpSts>${report.groupStatus}</GrpSts>` : ''}${reasonXml(report.groupReason)}</OrgnlGrpInfAndSts>
${payments}
</CstmrPmtStsRpt>
</Document>
`
}
