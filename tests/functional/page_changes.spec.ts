import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { compactPageChanges, readPageChanges } from '#core/page_changes'
import { CATALOGUE_SCOPE, PAGE_CHANGES_TABLE, familyScope } from '#core/page_change_triggers'
import { createUser } from '#tests/helpers/users'
import { custodyService } from '#modules/dossier/index'
import bookingService from '#modules/planning/services/booking_service'
import { createActivity, createDay, dayFromToday, registeredFamily } from '#modules/planning/tests/factories'

/*
 * The counts of writes the families' pages are kept by (app/core/page_change_triggers.ts): the
 * database's triggers count every write, whoever makes it, in the scopes the pages read.
 */

/** A scope's count now (0 when never written). */
async function countOf(scope: string) {
  const text = await readPageChanges([scope])
  return Number(text.split('=')[1] || 0)
}

test.group('Page changes: the triggers count the writes the pages show', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test("a booking, a child and a registration count in their family's scope, not in another's", async ({ assert }) => {
    const activity = await createActivity({ name: 'Cantine' })
    const day = await createDay(activity, dayFromToday(20))
    const family = await registeredFamily(activity)
    const other = await registeredFamily(activity)
    const [mine, theirs] = [await countOf(familyScope(family.family.id)), await countOf(familyScope(other.family.id))]
    await bookingService.book(family.family.id, family.children[0].id, day.id, { as: 'parent', actor: family.user })
    await db.from('children').where('id', family.children[0].id).update({ first_name: 'Lyana' })
    await db.from('registrations').where('family_id', family.family.id).update({ end_date: dayFromToday(90) })
    assert.isAtLeast(await countOf(familyScope(family.family.id)), mine + 3)
    assert.equal(await countOf(familyScope(other.family.id)), theirs)
  })

  test("an activity's name counts for every family; its registration counter does not", async ({ assert }) => {
    const activity = await createActivity({ name: 'Cantine' })
    const before = await countOf(CATALOGUE_SCOPE)
    await db.from('activities').where('id', activity.id).update({ registered_count: 12 })
    assert.equal(await countOf(CATALOGUE_SCOPE), before)
    await db.from('activities').where('id', activity.id).update({ name: 'Cantine scolaire' })
    assert.isAbove(await countOf(CATALOGUE_SCOPE), before)
  })

  test("shared custody counts for both households, and the child's writes then count for the other one", async ({ assert }) => {
    const activity = await createActivity({ name: 'Cantine' })
    const owners = await registeredFamily(activity)
    const household = await registeredFamily(activity)
    const start = await countOf(familyScope(household.family.id))
    await custodyService.setUp(owners.children[0], { otherFamilyId: household.family.id, evenWeeks: 'other_family', startsOn: dayFromToday(0) }, await createUser('staff'))
    const afterCustody = await countOf(familyScope(household.family.id))
    assert.isAbove(afterCustody, start)
    await db.from('children').where('id', owners.children[0].id).update({ first_name: 'Partagée' })
    await db.from('registrations').where('child_id', owners.children[0].id).update({ end_date: dayFromToday(60) })
    assert.isAtLeast(await countOf(familyScope(household.family.id)), afterCustody + 2)
  })

  test('folding keeps each sum and leaves one row a scope', async ({ assert }) => {
    const scopes = ['family:990001', 'family:990002']
    await db.table(PAGE_CHANGES_TABLE).multiInsert([...Array(7)].map((_, i) => ({ scope: scopes[i % 2] })))
    const before = await readPageChanges(scopes)
    assert.isAtLeast(await compactPageChanges(), 2, 'the scopes folded')
    assert.equal(await readPageChanges(scopes), before)
    const rows = await db.from(PAGE_CHANGES_TABLE).whereIn('scope', scopes).count('* as n').groupBy('scope')
    assert.deepEqual(rows.map((row: any) => Number(row.n)), [1, 1])
    await db.table(PAGE_CHANGES_TABLE).insert({ scope: scopes[0] })
    assert.notEqual(await readPageChanges(scopes), before, 'a write after the folding still counts')
    assert.equal(await compactPageChanges(), 1, 'the scope written again')
    assert.equal(await compactPageChanges(), 0, 'nothing written since')
  })
})
