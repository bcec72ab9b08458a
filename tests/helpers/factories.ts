/*
 * Every test factory, in one list. Each module keeps the builders of its own data in
 * modules/<name>/tests/factories.ts, on top of dossier's createFamily; a module's tests import
 * those of the modules in its dependsOn directly (docs/MODULES.md, "Rules"), the core's tests
 * import them from here.
 */
export { createUser } from '#tests/helpers/users'
export { useColomars, CHILDHOOD_SERVICE } from '#tests/helpers/commune'
export { createFamily, uniqueSuffix, type FamilySpec, type GuardianSpec } from '#modules/dossier/tests/factories'
export { createActivityType, createActivity, requestRegistration, familyRequesting, createValidatedRegistration } from '#modules/inscriptions/tests/factories'
export {
  createActivity as createPlanningActivity,
  createDay,
  createDays,
  registeredFamily,
  bookDays,
  committedFixtures as committedPlanningFixtures,
} from '#modules/planning/tests/factories'
export {
  createActivity as createBilledActivity,
  canteenTariff,
  linearTariff,
  familyWithInvoice,
  CANTEEN_GRID,
} from '#modules/billing/tests/factories'
export { seedCatalog, createAgent } from '#modules/messaging/tests/factories'
export { createArticle } from '#modules/news/tests/factories'
