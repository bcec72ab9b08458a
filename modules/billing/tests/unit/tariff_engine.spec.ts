import { test } from '@japa/runner'
import fc from 'fast-check'
import {
  bracketPrice,
  linearPrice,
  priceFor,
  roundDiv,
  ruleProblems,
  type TariffRule,
} from '#modules/billing/services/tariff_engine'
import { CANTEEN_GRID } from '#modules/billing/tests/factories'

// DOMAIN.md test vectors: a real canteen grid, per meal.
const canteen: TariffRule = {
  model: 'brackets',
  unit: 'meal',
  brackets: CANTEEN_GRID,
  nonResidentCents: 650,
  lateSurchargeCents: 250,
}

// Linear: 0.36 % × QF, min 2.60 €, max 4.50 €.
const linear: TariffRule = { model: 'linear', unit: 'day', rate: 3600, floorCents: 260, ceilingCents: 450 }

test.group('Tariff engine: DOMAIN.md vectors', () => {
  test('linear 0.36 % × QF {qf} → {cents} cents')
    .with([
      { qf: 500, cents: 260 },
      { qf: 1000, cents: 360 },
      { qf: 1500, cents: 450 },
    ])
    .run(({ assert }, { qf, cents }) => {
      assert.equal(priceFor(linear, { familyQuotient: qf }).unitCents, cents)
    })

  test('canteen grid: QF {qf} → {cents} cents per meal')
    .with([
      { qf: 0, cents: 50 },
      { qf: 399, cents: 50 },
      { qf: 400, cents: 175 },
      { qf: 639, cents: 175 },
      { qf: 640, cents: 235 },
      { qf: 859, cents: 235 },
      { qf: 860, cents: 305 },
      { qf: 1149, cents: 305 },
      { qf: 1150, cents: 355 },
      { qf: 1499, cents: 355 },
      { qf: 1500, cents: 405 },
      { qf: 1699, cents: 405 },
      { qf: 1700, cents: 460 },
      { qf: 1899, cents: 460 },
      { qf: 1900, cents: 490 },
      { qf: 5000, cents: 490 },
    ])
    .run(({ assert }, { qf, cents }) => {
      assert.equal(priceFor(canteen, { familyQuotient: qf, resident: true }).unitCents, cents)
    })

  test('non-residents pay 6.50 € whatever their QF; a late booking adds 2.50 €', ({ assert }) => {
    for (const qf of [null, 100, 900, 2500]) {
      const price = priceFor(canteen, { familyQuotient: qf, resident: false })
      assert.equal(price.unitCents, 650)
      assert.equal(price.lateSurchargeCents, 250)
    }
  })

  test('no QF on file → the highest tariff (grid top, linear ceiling)', ({ assert }) => {
    assert.equal(priceFor(canteen, { familyQuotient: null }).unitCents, 490)
    assert.equal(priceFor(linear, { familyQuotient: null }).unitCents, 450)
    // a grid that decreases still gives its highest price
    assert.equal(bracketPrice([{ fromQf: 0, priceCents: 900 }, { fromQf: 1000, priceCents: 100 }], null), 900)
  })

  test('the working is shown: rate × QF then floor or ceiling', ({ assert }) => {
    const low = priceFor(linear, { familyQuotient: 500 })
    assert.deepEqual(
      low.steps.map((step) => step.label),
      ["Taux d'effort 0,36 % × QF 500\u00a0€ = 1,80\u00a0€", 'Plancher appliqué (2,60\u00a0€)']
    )
    const high = priceFor(linear, { familyQuotient: 1500 })
    assert.equal(high.steps[0].cents, 540)
    assert.equal(high.steps[1].label, 'Plafond appliqué (4,50\u00a0€)')
  })
})

test.group('Tariff engine: modifiers and rounding', () => {
  test('rounds to the cent, halves up', ({ assert }) => {
    assert.equal(roundDiv(5, 10), 1)
    assert.equal(roundDiv(4, 10), 0)
    assert.equal(roundDiv(15, 10), 2)
    // 0.37 % × 1013 = 3.7481 € → 3.75 €
    assert.equal(linearPrice(3700, 1013, null, null), 375)
    // 0.365 % × 1000 = 3.65 € exactly
    assert.equal(linearPrice(3650, 1000, null, null), 365)
  })

  test('sibling rank: 2nd child -10 %, 3rd and further -20 %', ({ assert }) => {
    const rule: TariffRule = { ...canteen, siblingReductions: { 2: 10, 3: 20 } }
    assert.equal(priceFor(rule, { familyQuotient: 1000, siblingRank: 1 }).unitCents, 305)
    assert.equal(priceFor(rule, { familyQuotient: 1000, siblingRank: 2 }).unitCents, 275) // 274.5 → 275
    assert.equal(priceFor(rule, { familyQuotient: 1000, siblingRank: 3 }).unitCents, 244)
    assert.equal(priceFor(rule, { familyQuotient: 1000, siblingRank: 5 }).unitCents, 244)
  })

  test('regime: an adjustment by regime, not applied to the fixed non-resident price', ({ assert }) => {
    const rule: TariffRule = { ...canteen, regimeAdjustments: { AUTRE: 10, MSA: 0 } }
    assert.equal(priceFor(rule, { familyQuotient: 1000, regime: 'CAF' }).unitCents, 305)
    assert.equal(priceFor(rule, { familyQuotient: 1000, regime: 'MSA' }).unitCents, 305)
    assert.equal(priceFor(rule, { familyQuotient: 1000, regime: 'AUTRE' }).unitCents, 336) // 335.5 → 336
    assert.equal(priceFor(rule, { familyQuotient: 1000, regime: 'AUTRE', resident: false }).unitCents, 650)
  })

  test('property: linear prices are integer cents within floor and ceiling, monotonic in QF', ({ assert }) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (a, b) => {
        const pa = priceFor(linear, { familyQuotient: a }).unitCents
        const pb = priceFor(linear, { familyQuotient: b }).unitCents
        assert.isTrue(Number.isInteger(pa) && pa >= 260 && pa <= 450)
        if (a <= b) assert.isAtMost(pa, pb)
      })
    )
  })

  test('property: a grid price is always one of the grid prices', ({ assert }) => {
    const prices = canteen.brackets!.map((bracket) => bracket.priceCents)
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 0, max: 100_000 })), (qf) => {
        assert.include(prices, priceFor(canteen, { familyQuotient: qf }).unitCents)
      })
    )
  })

  test('invalid rules are refused with sentences', ({ assert }) => {
    assert.deepEqual(ruleProblems(canteen), [])
    assert.deepEqual(ruleProblems(linear), [])
    assert.include(ruleProblems({ model: 'brackets', unit: 'meal', brackets: [{ fromQf: 100, priceCents: 1 }] }), 'La première tranche doit commencer au quotient 0.')
    assert.include(ruleProblems({ model: 'linear', unit: 'day', rate: 3600, floorCents: 500, ceilingCents: 400 }), 'Le plancher dépasse le plafond.')
    assert.isNotEmpty(ruleProblems({ model: 'linear', unit: 'day', rate: 3600 }))
  })
})
