import { test } from '@japa/runner'
import { Edge, Template } from 'edge.js'
import { escapeHtml, escaperOf } from '#core/html_escape'
import { escapeAttribute } from '#core/html_attributes'
import { SharedGlobalsTemplate } from '#core/shared_globals_template'

/** Edge's own `{{ }}` escaping (he.escape), the reference. */
const edgeEscape = (input: unknown) => Template.prototype.escape.call(null, input)

/** Strings of the characters that matter, in every arrangement up to a length, and some long ones. */
function corpus(): string[] {
  const alphabet = ['a', 'é', '—', '&', '<', '>', '"', "'", '`', '\n', '😀']
  const values = ['', 'Réservé', "aujourd'hui", 'jour-12-2027-01-04', '<script>alert("x")</script>', '&amp;', "l'IBAN « FR76 » & co `sh`"]
  const grow = (prefix: string, depth: number) => {
    values.push(prefix)
    if (depth === 0) return
    for (const char of alphabet) grow(prefix + char, depth - 1)
  }
  grow('', 3)
  let seed = 7
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
  for (let n = 0; n < 500; n++) {
    values.push(Array.from({ length: Math.floor(random() * 60) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''))
  }
  return values
}

test.group('HTML escaping', () => {
  test('escapeHtml prints what Edge prints (he.escape), for {{ }}', ({ assert }) => {
    for (const value of corpus()) assert.equal(escapeHtml(value), edgeEscape(value), JSON.stringify(value))
  })

  test('a value with nothing to escape comes back as it is', ({ assert }) => {
    const value = 'Lundi 4 janvier, Réservé'
    assert.strictEqual(escapeHtml(value), value)
  })

  test('attributes keep their own entities (&#39; for the apostrophe, the backtick left alone)', ({ assert }) => {
    assert.equal(escapeAttribute(`a"b'c<d>e&f\`g`), 'a&quot;b&#39;c&lt;d&gt;e&amp;f`g')
    assert.equal(escapeAttribute(0), '0')
  })

  test('an escaper refuses a character it cannot look up', ({ assert }) => {
    assert.throws(() => escaperOf({ é: '&eacute;' }))
    assert.throws(() => escaperOf({ ab: '' }))
  })

  test('templates print strings, numbers, safe values and others as Edge does', async ({ assert }) => {
    const values = { text: `<b title="x">l'été & \`co\`</b>`, number: 12.5, nothing: null, absent: undefined, list: ['<a>', 1], yes: true }
    const source = '{{ text }}|{{ number }}|{{ nothing }}|{{ absent }}|{{ list }}|{{ yes }}|{{ html.safe(text) }}|{{{ text }}}'
    const edge = Edge.create()
    const theirs = await edge.renderRaw(source, values)
    const ours = await new SharedGlobalsTemplate(edge.compiler, edge.globals, {}, edge.processor).renderRaw<Promise<string>>(source, values)
    assert.equal(ours, theirs)
    assert.include(ours, 'l&#x27;été &amp; &#x60;co&#x60;')
  })
})
