import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { insertMany } from '#core/bulk_insert'
import { dbTimeOf } from '#core/db_time'
import { createFamily, uniqueSuffix } from '#modules/dossier/tests/factories'
import { makeStaff, pageText } from '#modules/dossier/tests/fixtures'
import familySearch from '#modules/dossier/services/family_search'
import { searchFolded } from '#core/folded_search'

type Staff = Awaited<ReturnType<typeof makeStaff>>

/** What Gestion > Familles finds for `q`: its count (the table's caption) and the page's text. */
async function search(client: ApiClient, staff: Staff, q: string, page = 1) {
  const response = await client.get('/gestion/familles').qs({ q, page }).loginAs(staff)
  response.assertStatus(200)
  const text = pageText(response)
  const total = text.match(/Familles trouvées pour « [^»]* » \((\d+)\)/)
  return { total: total ? Number(total[1]) : 0, text }
}

test.group('Dossier: the staff search for families, without accents or case, after any write', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the folded text: accents, case, ligatures and spaces do not count', ({ assert }) => {
    assert.equal(searchFolded('  ÉLODIE   Lefèvre-Œuvray '), 'elodie lefevre-oeuvray')
    assert.equal(searchFolded('Noé'), searchFolded('NOE'))
    assert.equal(searchFolded('Ève'), 'eve')
  })

  test('a name found however it is typed: « elodie », « Élodie », « ÉLODIE », « lefevre », « œuvray »', async ({ client, assert }) => {
    const staff = await makeStaff()
    const { family } = await createFamily({ lastName: 'Lefèvre', guardians: [{ firstName: 'Élodie', user: null }], children: [{ firstName: 'Noé', lastName: 'Œuvray' }] })
    const other = await createFamily({ lastName: 'Martin' })
    for (const q of ['elodie', 'Élodie', 'ÉLODIE', 'lefevre', 'LEFÈVRE', 'élodie lefèvre', 'lefevre elodie', 'noe oeuvray', 'Œuvray Noé']) {
      const found = await search(client, staff, q)
      assert.equal(found.total, 1, q)
      assert.include(found.text, family.reference, q)
      assert.notInclude(found.text, other.family.reference, q)
    }
    // A term's % and _ are letters, not patterns.
    assert.equal((await search(client, staff, 'lef_vre')).total, 0)
  })

  test('every writer is seen at the next search: the model, the SQL, a move, a deletion', async ({ client, assert }) => {
    const staff = await makeStaff()
    const { family, child, guardian } = await createFamily({ lastName: 'Durand' })
    const other = await createFamily({ lastName: 'Petit' })
    assert.equal((await search(client, staff, 'durand')).total, 1)

    child.firstName = 'Anaïs'
    await child.save()
    assert.include((await search(client, staff, 'anais durand')).text, family.reference)

    await db.from('guardians').where('id', guardian.id).update({ email: 'nouvelle.adresse@exemple.fr' })
    assert.equal((await search(client, staff, 'nouvelle.adresse')).total, 1)
    await db.from('families').where('id', family.id).update({ reference: 'REF-CHANGEE' })
    assert.include((await search(client, staff, 'ref-changee')).text, 'REF-CHANGEE')

    // The child moves to the other family: each family's text follows.
    await db.from('children').where('id', child.id).update({ family_id: other.family.id })
    const moved = await search(client, staff, 'anais')
    assert.equal(moved.total, 1)
    assert.include(moved.text, other.family.reference)

    await db.from('guardians').where('id', guardian.id).delete()
    assert.equal((await search(client, staff, 'nouvelle.adresse')).total, 0)
  })

  test('a commune’s families: more than a batch written at once, all found, 25 a page', async ({ client, assert }) => {
    const staff = await makeStaff()
    const suffix = uniqueSuffix()
    const now = dbTimeOf(db.connection())
    const families = await insertMany(
      db.connection(),
      'families',
      Array.from({ length: 620 }, (_, n) => ({ reference: `LOT-${suffix}-${String(n).padStart(4, '0')}`, regime: 'CAF', resident: true, created_at: now })),
      ['id']
    )
    await insertMany(
      db.connection(),
      'guardians',
      families.map((row, n) => ({ family_id: Number(row.id), position: 1, last_name: `Hélène-Lot${suffix}`, first_name: `Zoé${n}`, civility: 'Mme', created_at: now }))
    )
    const first = await search(client, staff, `helene-lot${suffix}`)
    assert.equal(first.total, 620)
    const last = await search(client, staff, `helene-lot${suffix}`, 25)
    assert.include(last.text, `LOT-${suffix}-0619`)
    assert.equal(await familySearch.refresh(), 0, 'nothing left to write')
    assert.equal((await search(client, staff, `zoe619 hélène-lot${suffix}`)).total, 1)
  })

  test('two searches at the same instant, right after writes, both find what was written', async ({ client, assert }) => {
    const staff = await makeStaff()
    const { family } = await createFamily({ lastName: 'Étienne' })
    const [one, two] = await Promise.all([search(client, staff, 'etienne'), search(client, staff, 'ETIENNE')])
    assert.equal(one.total, 1)
    assert.equal(two.total, 1)
    assert.include(one.text, family.reference)
  })
})

const onSqlite = db.connection().dialect.name !== 'postgres'

test.group('Dossier: the family search beside a writer holding a family (committed)', () => {
  test('a search does not wait for a family another transaction holds; it finds it once that one has committed', async ({ client, assert, cleanup }) => {
    const staff = await makeStaff()
    const { family } = await createFamily({ lastName: 'Verrou', guardians: [{ user: null }] })
    cleanup(async () => {
      await db.from('families').where('id', family.id).delete()
      await db.from('users').where('id', staff.id).delete()
    })
    const holder = await db.transaction()
    let timer: NodeJS.Timeout | undefined
    try {
      await holder.from('families').where('id', family.id).update({ city: 'Ailleurs' })
      const waited = new Promise<'waited'>((resolve) => (timer = setTimeout(() => resolve('waited'), 5000)))
      const during = await Promise.race([search(client, staff, 'verrou'), waited])
      assert.notEqual(during, 'waited', 'the search waited for the writer')
      assert.equal((during as { total: number }).total, 0, 'its text is written once the writer is done')
    } finally {
      clearTimeout(timer)
      await holder.commit()
    }
    assert.equal((await search(client, staff, 'verrou')).total, 1)
  })
    .skip(onSqlite, 'PostgreSQL only (SQLite has one writer at a time)')
    .timeout(20_000)
})
