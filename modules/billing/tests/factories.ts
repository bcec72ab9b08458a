/* Families, activities, tariffs and invoices for the billing suites (tests/helpers/factories.ts lists them all). */
import type { ModelAttributes } from '@adonisjs/lucid/types/model'
import { ActivityType, type Activity } from '#modules/inscriptions/index'
import { createFamily as createFamilyFile, uniqueSuffix } from '#modules/dossier/tests/factories'
import { createActivity as createInscriptionsActivity } from '#modules/inscriptions/tests/factories'
import Tariff from '#modules/billing/models/tariff'
import { CANTEEN_GRID } from '#modules/billing/database/seeders/demo'

export { CANTEEN_GRID }

type TariffAttributes = Partial<ModelAttributes<Tariff>>

/** An activity of the billing tests' own type, over the 2026-2027 school year, without a cap. */
export async function createActivity(name: string, overrides: Partial<ModelAttributes<Activity>> = {}) {
  const type = await ActivityType.firstOrCreate({ name: 'Facturation (essais)' }, { name: 'Facturation (essais)', position: 1 })
  return createInscriptionsActivity({
    activityTypeId: type.id,
    name,
    startsOn: '2026-09-01',
    endsOn: '2027-07-06',
    places: null,
    autoAccept: true,
    cancellationDeadlineDays: 0,
    unitLabel: 'repas',
    ...overrides,
  })
}

function createTariff(activityId: number, validFrom: string, rule: TariffAttributes, overrides: TariffAttributes) {
  return Tariff.create({ activityId, validFrom, siblingReductions: {}, regimeAdjustments: {}, ...rule, ...overrides })
}

/** The canteen grid per meal, 6.50 € for non-residents, 2.50 € late surcharge. */
export function canteenTariff(activityId: number, validFrom = '2026-01-01', overrides: TariffAttributes = {}) {
  return createTariff(activityId, validFrom, { model: 'brackets', unit: 'meal', brackets: CANTEEN_GRID, nonResidentCents: 650, lateSurchargeCents: 250 }, overrides)
}

/** 0.36 % of the family quotient per day, between 2.60 € and 4.50 €. */
export function linearTariff(activityId: number, validFrom = '2026-01-01', overrides: TariffAttributes = {}) {
  return createTariff(activityId, validFrom, { model: 'linear', unit: 'day', rate: 3600, floorCents: 260, ceilingCents: 450, brackets: [] }, overrides)
}

/** A family of Colomars (QF 1000 unless told), Camille <lastName> its guardian with an account unless `withParent: false`. */
export async function createFamily(
  options: { quotient?: number | null; resident?: boolean; children?: { firstName: string; birthDate: string }[]; withParent?: boolean; lastName?: string } = {}
) {
  const suffix = uniqueSuffix()
  const lastName = options.lastName ?? 'Martin'
  const { family, user, children } = await createFamilyFile({
    lastName,
    family: {
      reference: `F${suffix}`,
      familyQuotient: options.quotient === undefined ? 1000 : options.quotient,
      resident: options.resident ?? true,
      email: `famille-${suffix}@exemple.test`,
      address: '1 rue des Écoles',
      postalCode: '06670',
      city: 'Colomars',
    },
    guardians: [options.withParent === false ? { firstName: 'Camille', user: null } : { firstName: 'Camille', account: { fullName: `Camille ${lastName}` } }],
    children: options.children ?? [{ firstName: 'Lya', birthDate: '2018-03-02' }],
  })
  return { family, parent: user ?? null, children }
}

/** A family with an issued invoice for September 2026 (canteen at QF 1000: n × 3.05 €). */
export async function familyWithInvoice(
  meals = 4,
  options: { quotient?: number | null; lastName?: string; mandate?: { holderName?: string; iban?: string; bic?: string | null }; issuedOn?: string } = {}
) {
  const { default: invoiceService } = await import('#modules/billing/services/invoice_service')
  const { fixtureSource } = await import('#modules/billing/services/billing_source')
  const { default: Invoice } = await import('#modules/billing/models/invoice')
  const activity = await createActivity(`Cantine ${uniqueSuffix()}`)
  await canteenTariff(activity.id)
  const created = await createFamily({ quotient: options.quotient ?? 1000, lastName: options.lastName })
  const days = Array.from({ length: meals }, (_, index) => ({
    familyId: created.family.id,
    childId: created.children[0].id,
    activityId: activity.id,
    day: `2026-09-${String(index + 1).padStart(2, '0')}`,
    attendance: 'present' as const,
    late: false,
  }))
  if (options.mandate && created.parent) {
    const { default: mandateService } = await import('#modules/billing/services/sepa/mandate_service')
    await mandateService.sign(created.family, { id: created.parent.id, fullName: created.parent.fullName }, {
      holderName: options.mandate.holderName ?? `Camille ${options.lastName ?? 'Martin'}`,
      iban: options.mandate.iban ?? 'FR7630006000011234567890189',
      bic: options.mandate.bic === undefined ? 'BNPAFRPP' : options.mandate.bic,
    })
  }
  await invoiceService.generateMonth('2026-09', fixtureSource(days), { issuedOn: options.issuedOn ?? '2026-10-02' })
  const invoice = await Invoice.query().where('family_id', created.family.id).where('month', '2026-09').firstOrFail()
  return { ...created, invoice, activity }
}
