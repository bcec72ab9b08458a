import { test } from '@japa/runner'
import { computeQuotient, familyParts } from '#modules/billing/services/quotient_calculator'

test.group('Family quotient calculator', () => {
  test('parts: 2 for the parents, +0.5 for each of the first two children, +1 for the third, +0.5 beyond', ({ assert }) => {
    assert.equal(familyParts({ singleParent: false, children: 0 }).parts, 2)
    assert.equal(familyParts({ singleParent: false, children: 1 }).parts, 2.5)
    assert.equal(familyParts({ singleParent: false, children: 2 }).parts, 3)
    assert.equal(familyParts({ singleParent: false, children: 3 }).parts, 4)
    assert.equal(familyParts({ singleParent: false, children: 4 }).parts, 4.5)
    assert.equal(familyParts({ singleParent: true, children: 1 }).parts, 2.5)
    assert.equal(familyParts({ singleParent: false, children: 2, disabledChildren: 1 }).parts, 3.5)
  })

  test('QF = (annual resources / 12 + monthly benefits) / parts, down to the euro', ({ assert }) => {
    // 36 000 € a year, 150 € benefits, couple with 2 children: (3000 + 150) / 3 = 1050
    const result = computeQuotient({ annualResourcesCents: 3_600_000, monthlyBenefitsCents: 15_000, singleParent: false, children: 2 })
    assert.equal(result.quotient, 1050)
    assert.equal(result.parts, 3)
    assert.equal(result.monthlyResourcesCents, 315_000)
    // 25 000 € a year, no benefits, single parent with 1 child: 2083.33 / 2.5 = 833.33 → 833
    assert.equal(computeQuotient({ annualResourcesCents: 2_500_000, monthlyBenefitsCents: 0, singleParent: true, children: 1 }).quotient, 833)
    // no resources: 0
    assert.equal(computeQuotient({ annualResourcesCents: 0, monthlyBenefitsCents: 0, singleParent: false, children: 3 }).quotient, 0)
  })

  test('the working is written out', ({ assert }) => {
    const result = computeQuotient({ annualResourcesCents: 3_600_000, monthlyBenefitsCents: 15_000, singleParent: false, children: 2 })
    assert.match(result.steps[1], /Couple 2 parts \+ 1er enfant 0,5 part \+ 2e enfant 0,5 part = 3 parts/)
    assert.include(result.steps[2], 'Quotient familial : 3\u202f150,00\u00a0€ / 3 = 1\u202f050\u00a0€')
  })
})
