import { absoluteRoute } from '#core/absolute_url'
import type { PresentedArticle } from '#modules/news/services/news_service'
import { de } from '#core/french'

/** Escapes text for XML and drops the characters XML 1.0 forbids. */
export function xmlEscape(value: string): string {
  return value
    // eslint-disable-next-line no-control-regex
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

/** RSS 2.0 of the published news, newest first, with absolute links. */
export function buildRssFeed(communeName: string, articles: PresentedArticle[]): string {
  const home = absoluteRoute('news.index')
  const items = articles.map((article) => {
    const link = absoluteRoute('news.show', { slug: encodeURIComponent(article.slug) })
    return [
      '    <item>',
      `      <title>${xmlEscape(article.title)}</title>`,
      `      <link>${xmlEscape(link)}</link>`,
      `      <guid isPermaLink="true">${xmlEscape(link)}</guid>`,
      article.publishedAt ? `      <pubDate>${article.publishedAt.toUTC().toRFC2822()}</pubDate>` : '',
      `      <description>${xmlEscape(article.teaser)}</description>`,
      `      <content:encoded>${xmlEscape(article.bodyHtml)}</content:encoded>`,
      '    </item>',
    ]
      .filter(Boolean)
      .join('\n')
  })
  const lastBuild = articles[0]?.publishedAt?.toUTC().toRFC2822()
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
    '  <channel>',
    `    <title>${xmlEscape(`Actualités — Portail Famille ${communeName}`)}</title>`,
    `    <link>${xmlEscape(home)}</link>`,
    `    <atom:link href="${xmlEscape(absoluteRoute('news.feed'))}" rel="self" type="application/rss+xml"/>`,
    `    <description>${xmlEscape(`Les actualités Enfance – Jeunesse ${de(communeName)}`)}</description>`,
    '    <language>fr-FR</language>',
    lastBuild ? `    <lastBuildDate>${lastBuild}</lastBuildDate>` : '',
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n')
}
