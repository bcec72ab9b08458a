import { test } from '@japa/runner'
import { Emitter } from '@adonisjs/core/events'
import app from '@adonisjs/core/services/app'
import { emitOnlyWhenHeard } from '#core/unheard_events'

/** A fresh emitter whose transport deliveries are counted. */
function countedEmitter() {
  const emitter = new Emitter<any>(app)
  const delivered: string[] = []
  emitter.onAny((event: any) => delivered.push(String(event)))
  return { emitter, delivered }
}

test.group('Events emitted only when heard', () => {
  test('a per-request event with no listener is not emitted; with one it is, with its data', async ({ assert }) => {
    const emitter = new Emitter<any>(app)
    emitOnlyWhenHeard(emitter, ['session:initiated'])
    const heard: unknown[] = []
    await emitter.emit('session:initiated', { n: 1 })
    emitter.on('session:initiated', (data) => void heard.push(data))
    await emitter.emit('session:initiated', { n: 2 })
    assert.deepEqual(heard, [{ n: 2 }])
  })

  test('an onAny listener hears them, and other events are emitted as before', async ({ assert }) => {
    const { emitter, delivered } = countedEmitter()
    emitOnlyWhenHeard(emitter, ['session:initiated'])
    await emitter.emit('session:initiated', {})
    await emitter.emit('planning:booked', {})
    assert.deepEqual(delivered, ['session:initiated', 'planning:booked'])

    const bare = new Emitter<any>(app)
    emitOnlyWhenHeard(bare, ['session:initiated'])
    const other: unknown[] = []
    bare.on('planning:booked', (data) => void other.push(data))
    await bare.emit('planning:booked', { day: 1 })
    assert.deepEqual(other, [{ day: 1 }])
  })
})
