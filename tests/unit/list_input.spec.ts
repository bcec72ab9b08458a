import { test } from '@japa/runner'
import { listInput } from '#core/list_input'

test.group('listInput', () => {
  test('reads a list whatever shape the body parser gave it, past its arrayLimit included', async ({ assert }) => {
    const { default: app } = await import('@adonisjs/core/services/app')
    const { default: qs } = await import('qs' as string)
    const options = app.config.get<any>('bodyparser').form.queryString
    const values = Array.from({ length: options.arrayLimit + 500 }, (_, index) => `v${index}`)
    const parsed = qs.parse(values.map((value) => `ids[]=${value}`).join('&'), options)
    assert.isFalse(Array.isArray(parsed.ids))
    assert.deepEqual(listInput(parsed.ids), values)
    assert.deepEqual(listInput(['a', 'b']), ['a', 'b'])
    assert.deepEqual(listInput('a'), ['a'])
    assert.deepEqual(listInput(undefined), [])
    assert.deepEqual(listInput(null), [])
    assert.deepEqual(listInput({ 2: 'c', 0: 'a', 10: 'k', x: 'ignored' }), ['a', 'c', 'k'])
  })
})
