import { test } from '@japa/runner'
import { excerpt, markdownToHtml, renderRichText, sanitizeRichText } from '#modules/news/services/rich_text'
import { slugify } from '#modules/news/services/news_service'
import { buildRssFeed, xmlEscape } from '#modules/news/services/feed_service'
import { xmlProblems } from '#modules/news/tests/xml_check'
import { DateTime } from 'luxon'

test.group('News editor: Markdown-like syntax and sanitizing', () => {
  test('headings, lists, emphasis and links become clean HTML', ({ assert }) => {
    const html = renderRichText('## Horaires\nLe **matin** et le *soir*.\n\n- un\n- deux\n\n1. premier\n2. second\n\n[Le site](https://exemple.fr)')
    assert.equal(
      html,
      '<h2>Horaires</h2>\n<p>Le <strong>matin</strong> et le <em>soir</em>.</p>\n<ul><li>un</li><li>deux</li></ul>\n<ol><li>premier</li><li>second</li></ol>\n<p><a href="https://exemple.fr">Le site</a></p>'
    )
  })

  test('a single # becomes h2 and ##### at most h4: the page keeps one h1', ({ assert }) => {
    assert.equal(markdownToHtml('# Titre'), '<h2>Titre</h2>')
    assert.equal(renderRichText('##### Petit'), '<h4>Petit</h4>')
    assert.equal(sanitizeRichText('<h1>Grand</h1>'), '<h2>Grand</h2>')
  })

  test('scripts, styles, frames, event handlers and dangerous links do not survive', ({ assert }) => {
    const html = renderRichText(
      [
        '<script>alert(1)</script>',
        '<p onclick="alert(2)">texte <img src=x onerror="alert(3)"></p>',
        '<style>body{display:none}</style><iframe src="https://mal.example"></iframe>',
        '[lien](javascript:alert(4)) <a href="JaVaScRiPt:alert(5)">x</a> <a href="data:text/html,6">y</a> <a href="//mal.example">z</a>',
        '<svg><script>alert(7)</script></svg>',
      ].join('\n')
    )
    for (const forbidden of ['script', 'alert', 'onclick', 'onerror', 'style', 'iframe', 'javascript', 'data:', 'mal.example', '<img', 'svg']) {
      assert.notInclude(html.toLowerCase(), forbidden.toLowerCase())
    }
    assert.include(html, 'texte')
  })

  test('links keep only http, https and mailto, and only the href attribute', ({ assert }) => {
    assert.equal(
      sanitizeRichText('<a href="mailto:enfance@mairie.fr" target="_blank" class="x">Écrire</a>'),
      '<a href="mailto:enfance@mairie.fr">Écrire</a>'
    )
    assert.equal(sanitizeRichText('<p><a href="ftp://x.fr">ftp</a></p>'), '<p>ftp</p>')
  })

  test('the excerpt is plain text cut at a word', ({ assert }) => {
    const text = excerpt('<p>Par la mise en place d&#39;un espace personnalisé, disponible 24/24 et 7 jours/7, vous pouvez consulter</p>', 60)
    assert.equal(text, "Par la mise en place d'un espace personnalisé, disponible...")
  })

  test('slugs are ASCII words joined by hyphens', ({ assert }) => {
    assert.equal(slugify('Bienvenue à Colomars !'), 'bienvenue-a-colomars')
    assert.equal(slugify('Fête de l’été : œufs & crêpes'), 'fete-de-l-ete-oeufs-crepes')
    assert.equal(slugify('!!!'), 'article')
  })
})

test.group('News feed', () => {
  test('XML escaping covers markup, quotes and forbidden control characters', ({ assert }) => {
    assert.equal(xmlEscape(`a & b <c> "d" 'e'\u0001`), 'a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;')
  })

  test('the feed is well-formed RSS with absolute links', ({ assert }) => {
    const xml = buildRssFeed('Saint-Jean & Co', [
      {
        id: 1,
        title: 'Menus <nouveaux> & "bons"',
        slug: 'menus',
        publishedAt: DateTime.fromISO('2023-05-10T08:00:00Z'),
        updatedAt: null,
        teaser: 'Entrée & plat',
        bodyHtml: '<p>Texte & <strong>gras</strong></p>',
        hasImage: false,
        imageAlt: '',
      },
    ])
    assert.deepEqual(xmlProblems(xml), [])
    assert.include(xml, '<title>Menus &lt;nouveaux&gt; &amp; &quot;bons&quot;</title>')
    assert.match(xml, /<link>https?:\/\/[^<]+\/actualites\/menus<\/link>/)
    assert.include(xml, '<pubDate>Wed, 10 May 2023 08:00:00 +0000</pubDate>')
  })

  test('the checker itself refuses broken XML', ({ assert }) => {
    assert.isNotEmpty(xmlProblems('<rss><channel><title>a & b</title></channel></rss>'))
    assert.isNotEmpty(xmlProblems('<rss><channel></rss>'))
    assert.isNotEmpty(xmlProblems('<rss></rss><rss></rss>'))
    assert.deepEqual(xmlProblems('<?xml version="1.0"?><rss a="1"><x/>t &amp; u</rss>'), [])
  })
})

test.group('News editor: teaser', () => {
  test('the teaser leaves headings out', ({ assert }) => {
    assert.equal(excerpt(renderRichText('## Les dates\nOuverture lundi.\n\n- Clôture vendredi')), 'Ouverture lundi. Clôture vendredi')
  })
})
