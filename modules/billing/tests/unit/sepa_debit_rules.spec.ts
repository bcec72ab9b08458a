import { test } from '@japa/runner'
import { sortDebits, type DebitCandidate } from '#modules/billing/services/sepa/debit_batch_rules'

let next = 1
function candidate(overrides: Partial<DebitCandidate> = {}): DebitCandidate {
  const id = next++
  return {
    invoiceId: id,
    invoiceNumber: `2026-${String(id).padStart(6, '0')}`,
    familyId: id,
    familyName: `Famille ${id}`,
    balanceCents: 1220,
    debitOn: '2026-11-10',
    activeMandate: { id: 100 + id, rum: `F${id}-20260901-01`, sequence: 'FRST' },
    sentIn: null,
    ...overrides,
  }
}

test.group('SEPA debit batch: sequence and exclusions', () => {
  test('FRST for a mandate never debited (or after a rejection), RCUR afterwards; the amount left, the total', ({ assert }) => {
    const first = candidate()
    const recurring = candidate({ activeMandate: { id: 7, rum: 'F7-20250101-01', sequence: 'RCUR' }, balanceCents: 800 })
    const { included, excluded, totalCents } = sortDebits([first, recurring])
    assert.deepEqual(
      included.map((debit) => [debit.invoiceId, debit.sequence, debit.amountCents]),
      [
        [first.invoiceId, 'FRST', 1220],
        [recurring.invoiceId, 'RCUR', 800],
      ]
    )
    assert.lengthOf(excluded, 0)
    assert.equal(totalCents, 2020)
  })

  test('each exclusion says why, in French', ({ assert }) => {
    const { included, excluded, totalCents } = sortDebits(
      [
        candidate({ sentIn: { messageId: 'PF-202609-20261105090000', collectionDate: '2026-11-10' } }),
        candidate({ balanceCents: 0 }),
        candidate({ activeMandate: null }),
        candidate({ debitOn: null }),
        candidate({ debitOn: null, activeMandate: null }),
      ],
      { monthBatch: null }
    )
    assert.lengthOf(included, 0)
    assert.equal(totalCents, 0)
    assert.deepEqual(
      excluded.map((debit) => debit.reason),
      [
        'déjà envoyée à la banque dans le lot PF-202609-20261105090000 (prélèvement du 10/11/2026)',
        'rien à prélever : facture réglée ou annulée par avoir',
        "mandat révoqué depuis l'émission de la facture : elle se paie en ligne ou au guichet",
        "mandat signé après l'émission de la facture : elle se paie en ligne ou au guichet",
        "pas de mandat actif à l'émission de la facture",
      ]
    )
  })

  test('once the month has its batch, a later invoice is left out rather than sent in a second file', ({ assert }) => {
    const { included, excluded } = sortDebits([candidate()], { monthBatch: 'PF-202609-20261105090000' })
    assert.lengthOf(included, 0)
    assert.equal(excluded[0].reason, 'facture émise après le fichier de prélèvement du mois (lot PF-202609-20261105090000) : elle se paie en ligne ou au guichet')
  })
})
