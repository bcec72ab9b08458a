/*
 * Worker of the SEPA and PES benchmark (run by sepa_month.ts in its own process, on the bench's
 * database): seeds N families (BENCH_SEPA_FAMILIES, default 20,000), each with an active mandate
 * (rows written directly, IBAN encrypted as mandate_service stores it: no PDF signing) and one
 * invoice of the month under direct debit, then times the month's real operations: the debit
 * batch and its pain.008 file, a second create (the same batch), the collection on its day, a
 * pain.002 return rejecting 1 % of the debits, the PES export, and for each the longest a
 * request of the same process waited meanwhile. Prints the figures as JSON; exits non-zero when
 * a count is wrong.
 */
import { startConsoleApp } from '../../../bench/console_app.js'

const families = Number(process.env.BENCH_SEPA_FAMILIES ?? 20000)
const month = process.env.BENCH_SEPA_MONTH ?? '2031-05'

const app = await startConsoleApp()

const { default: db } = await import('@adonisjs/lucid/services/db')
const { DateTime } = await import('luxon')
const { seedDebitMonth } = await import('#modules/billing/bench/debit_month_seed')
const { timedWithWaits } = await import('../../../bench/request_wait.js')
const { default: debitBatchService } = await import('#modules/billing/services/sepa/debit_batch_service')
const { default: debitCollectionService } = await import('#modules/billing/services/sepa/debit_collection')
const { default: debitReturnService } = await import('#modules/billing/services/sepa/debit_return_service')
const { default: pesExportService } = await import('#modules/billing/services/pes/pes_export_service')

const problems: string[] = []
function expect(what: string, actual: unknown, wanted: unknown) {
  if (actual !== wanted) problems.push(`${what} : ${actual} au lieu de ${wanted}`)
}

/** Per operation, the longest another request of the process waited (timedWithWaits). */
const longestWaitMs: Record<string, number> = {}

const timed = async <T>(work: () => Promise<T>, name?: string): Promise<[T, number]> => {
  const { result, seconds, longestWaitMs: waited } = await timedWithWaits(db, work)
  if (name) longestWaitMs[name] = waited
  return [result, seconds]
}

const client = db.connection()
const today = DateTime.now().setZone('Europe/Paris')
const debitOn = today.plus({ days: 10 }).toISODate()!
const [, seedSeconds] = await timed(() => db.transaction((trx) => seedDebitMonth(trx, { families, month, debitOn, prefix: 'Banc' })))

const memoryBefore = process.memoryUsage().rss
const [created, createSeconds] = await timed(() => debitBatchService.create(month, {}), 'create')
const createRssMb = process.memoryUsage().rss / 1e6
expect('lot créé', created.created, true)
expect('opérations du lot', Number(created.batch.transactions_count), families)
expect('lignes du lot', Number((await db.from('sepa_debit_lines').where('batch_id', created.batch.id).count('* as total').first())?.total), families)
const fileBytes = Buffer.byteLength(created.batch.xml)
expect('opérations du fichier', created.batch.xml.split('<DrctDbtTxInf>').length - 1, families)
expect('historique « transmis à la banque »', Number((await db.from('family_history_entries').where('kind', 'sepa-debit-sent').count('* as total').first())?.total), families)

const [again, againSeconds] = await timed(() => debitBatchService.create(month, {}))
expect('second lot créé', again.created, false)
expect('second lot', again.batch.id, created.batch.id)
expect('même fichier', again.batch.xml === created.batch.xml, true)

const collectionDate = created.batch.collection_date
const [collected, collectSeconds] = await timed(() => debitCollectionService.collectDue({ today: collectionDate }), 'collect')
expect('prélèvements encaissés', collected.collected, families)
expect('paiements', Number((await db.from('payments').where('method', 'sepa').count('* as total').first())?.total), families)
const [recollected, recollectSeconds] = await timed(() => debitCollectionService.collectDue({ today: collectionDate }))
expect('seconde collecte', recollected.collected, 0)

// The bank rejects 1 % of the debits (every 100th line), with a reason code each.
const lines = await db.from('sepa_debit_lines').where('batch_id', created.batch.id).orderBy('id').select('end_to_end_id', 'sequence')
const rejected = lines.filter((_, index) => index % 100 === 0)
const groups = (['FRST', 'RCUR'] as const)
  .map((sequence) => ({
    sequence,
    items: rejected.filter((line) => line.sequence === sequence),
  }))
  .filter((group) => group.items.length)
const report = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<CstmrPmtStsRpt>
<GrpHdr><MsgId>BANC-RET-0001</MsgId><CreDtTm>${collectionDate}T08:30:00</CreDtTm><InitgPty><Nm>BANQUE</Nm></InitgPty></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>${created.batch.message_id}</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
${groups
  .map(
    (group) =>
      `<OrgnlPmtInfAndSts><OrgnlPmtInfId>${created.batch.message_id}-${group.sequence}</OrgnlPmtInfId><PmtInfSts>PART</PmtInfSts>\n` +
      group.items
        .map(
          (line, index) =>
            `<TxInfAndSts><StsId>ST-${index + 1}</StsId><OrgnlEndToEndId>${line.end_to_end_id}</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>${index % 2 ? 'AM04' : 'MD06'}</Cd></Rsn></StsRsnInf></TxInfAndSts>`
        )
        .join('\n') +
      '</OrgnlPmtInfAndSts>'
  )
  .join('\n')}
</CstmrPmtStsRpt>
</Document>
`
const [returned, returnSeconds] = await timed(() =>
  debitReturnService.import(report, 'retour-banc.xml', {
    today: collectionDate,
  }), 'return'
)
expect('rejets appliqués', returned.applied.length, rejected.length)
expect('paiements annulés', Number((await db.from('payments').where('method', 'sepa').whereNotNull('reversed_on').count('* as total').first())?.total), rejected.length)
const [returnedAgain, returnAgainSeconds] = await timed(() =>
  debitReturnService.import(report, 'retour-banc.xml', {
    today: collectionDate,
  })
)
expect('rejets appliqués deux fois', returnedAgain.applied.length, 0)
expect('rejets déjà appliqués', returnedAgain.alreadyApplied.length, rejected.length)

const [pes, pesSeconds] = await timed(() => pesExportService.exportMonth(month, null, today.toISODate()!), 'pes')
expect('titres PES', pes.titleCount, families)
const pesBytes = Buffer.byteLength(await pes.text())

console.log(
  JSON.stringify({
    families,
    client: client.dialect.name,
    seedSeconds,
    createSeconds,
    fileBytes,
    createRssMb,
    rssBeforeMb: memoryBefore / 1e6,
    againSeconds,
    collectSeconds,
    recollectSeconds,
    rejects: rejected.length,
    returnSeconds,
    returnAgainSeconds,
    pesSeconds,
    pesBytes,
    longestWaitMs,
    problems,
  })
)
await app.terminate()
if (problems.length) process.exitCode = 1
