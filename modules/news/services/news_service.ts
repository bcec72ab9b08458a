import { DateTime } from 'luxon'
import NewsArticle from '#modules/news/models/news_article'
import { toDbInstant } from '#modules/news/models/instant'
import { excerpt, sanitizeRichText } from '#modules/news/services/rich_text'
import { pageNumber } from '#core/pagination'

export const NEWS_PER_PAGE = 10

/** "Bienvenue à Colomars !" → "bienvenue-a-colomars" */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '')
  return slug || 'article'
}

/** An edit worth a "mise à jour le" line: after publication and not the creation itself. */
function wasEditedAfterPublication(article: NewsArticle): boolean {
  if (!article.updatedAt || !article.publishedAt) return false
  return article.updatedAt > article.publishedAt.plus({ minutes: 5 }) && article.updatedAt > article.createdAt.plus({ minutes: 5 })
}

/** What the public pages show of an article: sanitized again on the way out. */
export function presentArticle(article: NewsArticle) {
  const bodyHtml = sanitizeRichText(article.bodyHtml)
  return {
    id: article.id,
    title: article.title,
    slug: article.slug,
    publishedAt: article.publishedAt,
    updatedAt: wasEditedAfterPublication(article) ? article.updatedAt : null,
    teaser: article.summary?.trim() || excerpt(bodyHtml),
    bodyHtml,
    hasImage: Boolean(article.imageKey),
    imageAlt: article.imageAlt ?? '',
  }
}

export type PresentedArticle = ReturnType<typeof presentArticle>

class NewsService {
  /** Published articles only: a scheduled one appears from its instant on. */
  published(now: DateTime = DateTime.utc()) {
    return NewsArticle.query()
      .whereNotNull('published_at')
      .where('published_at', '<=', toDbInstant(now))
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
  }

  async latest(count: number) {
    const articles = await this.published().limit(count)
    return articles.map(presentArticle)
  }

  async page(page: number) {
    const paginator = await this.published().paginate(pageNumber(page), NEWS_PER_PAGE)
    return { articles: paginator.all().map(presentArticle), meta: paginator.getMeta() }
  }

  async findPublished(slug: string) {
    return this.published().where('slug', slug).firstOrFail()
  }

  async uniqueSlug(title: string, exceptId?: number): Promise<string> {
    const base = slugify(title)
    for (let attempt = 1; ; attempt++) {
      const candidate = attempt === 1 ? base : `${base}-${attempt}`
      const query = NewsArticle.query().where('slug', candidate)
      if (exceptId) query.whereNot('id', exceptId)
      if (!(await query.first())) return candidate
    }
  }
}

const newsService = new NewsService()
export default newsService
