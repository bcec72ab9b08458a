import { test } from '@japa/runner'
import { Edge, Template } from 'edge.js'
import { SharedGlobalsTemplate, trimOuterNewlines } from '#core/shared_globals_template'

/** An Edge of its own (templates in memory), with a global, a component and a page using both. */
function fixture() {
  const edge = Edge.create()
  edge.global('shout', (text: string) => text.toUpperCase())
  edge.global('site', 'Portail')
  edge.registerTemplate('components/badge', {
    template: '<b title="{{ site }}">{{ shout(label) }} {{ who }}</b>{{{ await $slots.main() }}}\n',
  })
  edge.registerTemplate('page', {
    template: [
      '',
      '<p>{{ site }} — {{ who }} — {{ shout(title) }}</p>',
      "@component('components/badge', { label: 'ok', who: 'prop' })",
      '  <i>{{ who }}</i>',
      '@end',
      "@!component('components/badge', { label: 'nu' })",
      '@each(day in days)',
      '  <span>{{ day }}</span>',
      '@end',
      '',
    ].join('\n'),
  })
  return edge
}

const locals = { who: 'local', title: 'planning', days: ['lundi', 'mardi'] }

test.group('SharedGlobalsTemplate', () => {
  test('renders what Edge renders: globals in pages and components, props over locals', async ({ assert }) => {
    const edge = fixture()
    const expected = await new Template(edge.asyncCompiler, edge.globals, locals, edge.processor).render<Promise<string>>('page', {})
    const actual = await new SharedGlobalsTemplate(edge.asyncCompiler, edge.globals, locals, edge.processor).render<Promise<string>>('page', {})
    assert.equal(actual, expected)
    assert.include(actual, '<p>Portail — local — PLANNING</p>')
    assert.include(actual, '<b title="Portail">OK prop</b>')
    assert.include(actual, '<b title="Portail">NU local</b>')
    assert.include(actual, '<i>local</i>')
  })

  test('the render state wins over the locals, and the globals stay shared, not copied', async ({ assert }) => {
    const edge = fixture()
    const template = new SharedGlobalsTemplate(edge.asyncCompiler, edge.globals, locals, edge.processor)
    const html = await template.render<Promise<string>>('page', { who: 'état' })
    assert.include(html, '<p>Portail — état — PLANNING</p>')
    const state = template.getComponentState({ label: 'x' }, {}, { filename: 'page', line: 1, col: 0 }) as Record<string, unknown>
    assert.strictEqual(Object.getPrototypeOf(state), edge.globals)
    assert.notInclude(Object.keys(state), 'shout')
    assert.isFunction(state.shout)
    assert.equal(state.label, 'x')
    assert.equal(state.who, 'local')
  })

  test('renderRaw and the synchronous compiler', ({ assert }) => {
    const edge = fixture()
    const template = new SharedGlobalsTemplate(edge.compiler, edge.globals, locals, edge.processor)
    assert.equal(template.renderRaw<string>('\n{{ shout(who) }} {{ site }}\n', {}), 'LOCAL Portail')
  })

  test('trims one newline at each end, as Edge does', ({ assert }) => {
    const edgeTrim = (value: string) => value.replace(/^\n|^\r\n/, '').replace(/\n$|\r\n$/, '')
    const samples = ['', '\n', '\r\n', '\n\n', '\r\n\r\n', '\n\r\n', 'a', '\na\n', '\r\na\r\n', 'a\n\n', '\n\na', 'a\r', '\ra', 'a\r\n\n', '<p>x</p>']
    for (const sample of samples) assert.equal(trimOuterNewlines(sample), edgeTrim(sample), JSON.stringify(sample))
  })
})
