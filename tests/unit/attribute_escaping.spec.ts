import { test } from '@japa/runner'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import edge from 'edge.js'
import { safeAttrs, stringifyAttributes } from '#core/html_attributes'
import { PAYLOAD, injectedMarkup, payloadContexts, startTags } from '#tests/helpers/markup_injection'
import { COMPONENT_FIXTURES, flashStore, hostileFlash, hostileLayoutState } from '#tests/helpers/component_fixtures'

const P = PAYLOAD

/** The component files of the core and of every module, as Edge names them. */
function componentNames(): string[] {
  const names: string[] = []
  const core = app.makePath('resources/views/components')
  for (const file of readdirSync(core).filter((f) => f.endsWith('.edge'))) names.push(`components/${file.slice(0, -5)}`)
  const modules = app.makePath('modules')
  for (const module of readdirSync(modules)) {
    const dir = join(modules, module, 'views/components')
    let files: string[] = []
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.edge'))
    } catch {
      continue
    }
    for (const file of files) names.push(`${module}::components/${file.slice(0, -5)}`)
  }
  return names.sort()
}

function edgeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.edge'))
    .map((entry) => join(entry.parentPath, entry.name))
}

/** Every occurrence of the payload's marker must sit inside an entity-escaped copy of the whole payload. */
function unescapedOccurrences(html: string): number {
  const escaped = PAYLOAD.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/&/g, '&(?:amp|#38|#x26);')
    .replace(/</g, '&(?:lt|#60|#x3c);')
    .replace(/>/g, '&(?:gt|#62|#x3e);')
    .replace(/"/g, '&(?:quot|#34|#x22);')
    .replace(/'/g, '&(?:apos|#39|#x27);')
  const marks = html.split('evil.example').length - 1
  const safe = html.match(new RegExp(escaped, 'gi'))?.length ?? 0
  return marks - safe
}

test.group('html.attrs escapes every value', () => {
  test('quotes, angle brackets and ampersands are entities', ({ assert }) => {
    assert.equal(
      stringifyAttributes({ value: `a"b'c<d>e&f` }),
      'value="a&quot;b&#39;c&lt;d&gt;e&amp;f"'
    )
    assert.deepEqual(injectedMarkup(`<input ${stringifyAttributes({ value: P, title: [P, P] })}>`), [])
  })

  test('boolean attributes, class objects and arrays work as before', ({ assert }) => {
    assert.equal(stringifyAttributes({ checked: true, disabled: false, selected: 0, required: 1 }), 'checked required')
    assert.equal(stringifyAttributes({ 'aria-current': null, 'id': undefined, 'name': '', 'data-x': true }), 'data-x')
    assert.equal(stringifyAttributes({ class: ['a', { b: true, c: false }, `"d`] }), 'class="a b &quot;d"')
    assert.equal(stringifyAttributes({ min: 0, max: 10, className: 'x', htmlFor: 'y', dataFoo: 'z' }), 'min="0" max="10" class="x" for="y" data-foo="z"')
    assert.equal(stringifyAttributes({ 'accept': ['.pdf', 'image/png'], 'aria-describedby': ['a', 'b'] }), 'accept=".pdf,image/png" aria-describedby="a b"')
  })

  test('a key that is no attribute name is left out', ({ assert }) => {
    assert.equal(stringifyAttributes({ 'a"><b>x</b': 'y', 'ok': 'z' }), 'ok="z"')
  })

  test('the html global of every template is the escaping one', async ({ assert }) => {
    assert.strictEqual(edge.globals.html.attrs, safeAttrs)
    const html = await edge.renderRaw('<input {{ html.attrs({ value: v }) }}>', { v: P })
    assert.deepEqual(injectedMarkup(html), [])
    assert.equal(startTags(html)[0].attributes[0][1], P)
  })

  test('no template prints attributes with $props.toAttrs, which Edge 6.5.1 leaves unescaped', ({ assert }) => {
    const files = [...edgeFiles(app.makePath('resources/views')), ...edgeFiles(app.makePath('modules'))]
    const offenders = files.filter((file) => /\btoAttrs\s*\(/.test(readFileSync(file, 'utf8')))
    assert.deepEqual(offenders.map((file) => relative(app.makePath(), file)), [])
  })
})

test.group('Every component with a hostile value in each string prop', (group) => {
  // Components name routes (`route()`): commit them as the HTTP server does at boot.
  group.setup(() => router.commit())

  test('every component has fixtures here', ({ assert }) => {
    assert.deepEqual(componentNames().filter((name) => !COMPONENT_FIXTURES[name]), [], 'add the new component to tests/helpers/component_fixtures.ts')
  })

  test('no component lets the payload out of its attribute', async ({ assert }) => {
    const problems: string[] = []
    let rendered = 0
    for (const name of componentNames()) {
      for (const [index, fixture] of (COMPONENT_FIXTURES[name] ?? []).entries()) {
        for (const flash of [flashStore({}), hostileFlash()]) {
          const shared = { ...hostileLayoutState(), ...fixture.state, flashMessages: flash }
          const template = fixture.slot
            ? '@component(componentName, props)\n<p>{{ slotText }}</p>\n@end'
            : '@!component(componentName, props)'
          const html = await edge.createRenderer().share(shared).renderRaw(template, { componentName: name, props: fixture.props, slotText: P })
          rendered++
          const label = `${name} #${index + 1}`
          for (const problem of injectedMarkup(html)) problems.push(`${label}: ${problem} — ${payloadContexts(html).join(' | ')}`)
          if (unescapedOccurrences(html) > 0) problems.push(`${label}: the payload is printed without entities — ${payloadContexts(html).join(' | ')}`)
          if (fixture.inAttribute !== false && !startTags(html).some((tag) => tag.attributes.some(([, value]) => value.includes(P)))) {
            problems.push(`${label}: the payload reached no attribute (fixture no longer exercises it)`)
          }
        }
      }
    }
    assert.isAbove(rendered, componentNames().length)
    assert.deepEqual([...new Set(problems)], [])
  })
})
