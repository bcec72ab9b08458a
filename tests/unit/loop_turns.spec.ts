import { test } from '@japa/runner'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { LoopTurns } from '#core/loop_turns'

test.group('Loop turns', () => {
  test('admits at once while the turn has room, then a few per turn, in arrival order', async ({ assert }) => {
    const turns = new LoopTurns(3)
    const order: number[] = []
    const admissions = Array.from({ length: 8 }, (_, index) => {
      const admitted = turns.admit()
      if (!admitted) order.push(index)
      return admitted?.then(() => order.push(index))
    })
    assert.deepEqual(order, [0, 1, 2], 'the first three at once, without waiting')
    assert.equal(turns.waiting, 5)
    await nextTurn()
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5], 'three more on the next turn')
    await nextTurn()
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7])
    assert.equal(turns.waiting, 0)
    await Promise.all(admissions)
  })

  test('a lone task on an idle loop never waits, even right after a burst', async ({ assert }) => {
    const turns = new LoopTurns(1)
    assert.isUndefined(turns.admit())
    const second = turns.admit()
    assert.instanceOf(second, Promise)
    await second
    await nextTurn()
    await nextTurn()
    assert.isUndefined(turns.admit(), 'a new turn, a new count')
    await nextTurn()
    await nextTurn()
    assert.isUndefined(turns.admit())
  })
})
