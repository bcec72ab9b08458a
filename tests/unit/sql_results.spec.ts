import { test } from '@japa/runner'
import { affectedRows, isUniqueViolation } from '#core/sql_results'

test.group('Database answers read alike on both databases', () => {
  test('rows touched, whatever shape the driver returns', ({ assert }) => {
    assert.equal(affectedRows(3), 3)
    assert.equal(affectedRows([2]), 2)
    assert.equal(affectedRows([{ id: 1 }, { id: 2 }]), 2, 'rows returned by RETURNING')
    assert.equal(affectedRows({ rowCount: 1 }), 1)
    assert.equal(affectedRows({ changes: 0 }), 0)
    assert.equal(affectedRows(null), 0)
  })

  test('a refused unique or primary key, and nothing else', ({ assert }) => {
    assert.isTrue(isUniqueViolation({ code: '23505' }))
    assert.isTrue(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_UNIQUE' }))
    assert.isTrue(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }))
    assert.isTrue(isUniqueViolation(new Error('UNIQUE constraint failed: planning_bookings.child_id')))
    assert.isFalse(isUniqueViolation({ code: '23503' }), 'a foreign key is another refusal')
    assert.isFalse(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }))
    assert.isFalse(isUniqueViolation(undefined))
  })
})
