import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import drive from '@adonisjs/drive/services/main'
import { DateTime } from 'luxon'
import { ZONE } from '#core/format'
import audit from '#services/audit_service'
import { storeUpload, UploadRefused } from '#services/upload_service'
import NewsArticle, { type ArticleStatus } from '#modules/news/models/news_article'
import newsService, { presentArticle } from '#modules/news/services/news_service'
import { excerpt, renderRichText } from '#modules/news/services/rich_text'
import { articlePreviewValidator, articleValidator } from '#modules/news/validators/article_validator'
import { fieldError } from '#modules/news/validators/field_error'
import { pageNumber } from '#core/pagination'

export const STATUS_LABELS: Record<ArticleStatus, string> = {
  draft: 'Brouillon',
  scheduled: 'Programmée',
  published: 'Publiée',
}

const STATUS_OPTIONS = [
  { value: 'draft', label: 'Brouillon (non publiée)' },
  { value: 'published', label: 'Publiée' },
  { value: 'scheduled', label: 'Programmée à la date ci-dessous' },
]

function formValues(article?: NewsArticle) {
  const status = article ? article.statusAt() : 'draft'
  return {
    title: article?.title ?? '',
    summary: article?.summary ?? '',
    body: article?.bodySource ?? '',
    status,
    publishAt: article?.publishedAt && status === 'scheduled' ? article.publishedAt.setZone(ZONE).toFormat("yyyy-MM-dd'T'HH:mm") : '',
    imageAlt: article?.imageAlt ?? '',
  }
}

function actorOf(ctx: HttpContext) {
  const user = ctx.auth.getUserOrFail()
  return { id: user.id, fullName: user.fullName }
}

/** Staff side of ACTUALITÉS: write, preview, schedule, unpublish, delete. */
export default class StaffArticlesController {
  async index({ request, view }: HttpContext) {
    const paginator = await NewsArticle.query()
      .preload('author')
      .orderByRaw('published_at is null desc')
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .paginate(pageNumber(request.input('page')), 20)
    const now = DateTime.utc()
    const articles = paginator.all().map((article) => {
      const status = article.statusAt(now)
      return { article, status, statusLabel: STATUS_LABELS[status] }
    })
    return view.render('news::pages/staff/articles/index', { articles, meta: paginator.getMeta() })
  }

  async create({ view }: HttpContext) {
    return view.render('news::pages/staff/articles/form', { values: formValues(), statusOptions: STATUS_OPTIONS, article: null })
  }

  async store(ctx: HttpContext) {
    const article = new NewsArticle()
    article.authorId = ctx.auth.getUserOrFail().id
    await this.save(ctx, article)
    await audit.record({ actor: actorOf(ctx), action: 'news.article.created', subjectType: 'news_article', subjectId: article.id })
    ctx.session.flash('alert.success', `L'actualité « ${article.title} » est enregistrée (${STATUS_LABELS[article.statusAt()].toLowerCase()}).`)
    return ctx.response.redirect().toRoute('news.staff.articles.index')
  }

  async edit({ params, view }: HttpContext) {
    const article = await NewsArticle.query().where('id', params.id).preload('author').preload('updatedBy').firstOrFail()
    return view.render('news::pages/staff/articles/form', {
      article,
      status: article.statusAt(),
      statusLabel: STATUS_LABELS[article.statusAt()],
      values: formValues(article),
      statusOptions: STATUS_OPTIONS,
    })
  }

  async update(ctx: HttpContext) {
    const article = await NewsArticle.findOrFail(ctx.params.id)
    await this.save(ctx, article)
    await audit.record({ actor: actorOf(ctx), action: 'news.article.updated', subjectType: 'news_article', subjectId: article.id })
    ctx.session.flash('alert.success', `L'actualité « ${article.title} » est mise à jour (${STATUS_LABELS[article.statusAt()].toLowerCase()}).`)
    return ctx.response.redirect().toRoute('news.staff.articles.index')
  }

  async publish(ctx: HttpContext) {
    const article = await NewsArticle.findOrFail(ctx.params.id)
    article.publishedAt = DateTime.utc()
    article.updatedById = ctx.auth.getUserOrFail().id
    await article.save()
    await audit.record({ actor: actorOf(ctx), action: 'news.article.published', subjectType: 'news_article', subjectId: article.id })
    ctx.session.flash('alert.success', `L'actualité « ${article.title} » est publiée.`)
    return ctx.response.redirect().toRoute('news.staff.articles.index')
  }

  async unpublish(ctx: HttpContext) {
    const article = await NewsArticle.findOrFail(ctx.params.id)
    article.publishedAt = null
    article.updatedById = ctx.auth.getUserOrFail().id
    await article.save()
    await audit.record({ actor: actorOf(ctx), action: 'news.article.unpublished', subjectType: 'news_article', subjectId: article.id })
    ctx.session.flash('alert.success', `L'actualité « ${article.title} » n'est plus publiée : elle est redevenue un brouillon.`)
    return ctx.response.redirect().toRoute('news.staff.articles.index')
  }

  async confirmDestroy({ params, view }: HttpContext) {
    const article = await NewsArticle.findOrFail(params.id)
    return view.render('news::pages/staff/articles/delete', { article })
  }

  async destroy(ctx: HttpContext) {
    const article = await NewsArticle.findOrFail(ctx.params.id)
    const imageKey = article.imageKey
    await article.delete()
    if (imageKey) await drive.use().delete(imageKey)
    await audit.record({
      actor: actorOf(ctx),
      action: 'news.article.deleted',
      subjectType: 'news_article',
      subjectId: article.id,
      details: { title: article.title },
    })
    ctx.session.flash('alert.success', `L'actualité « ${article.title} » est supprimée.`)
    return ctx.response.redirect().toRoute('news.staff.articles.index')
  }

  /** The saved article as the public will see it, whatever its state. */
  async preview({ params, view }: HttpContext) {
    const article = await NewsArticle.findOrFail(params.id)
    const status = article.statusAt()
    return view.render('news::pages/show', {
      article: presentArticle(article),
      preview: { status, statusLabel: STATUS_LABELS[status], editUrl: router.makeUrl('news.staff.articles.edit', { id: article.id }), imageUrl: router.makeUrl('news.staff.articles.image', { id: article.id }) },
    })
  }

  /** What is being typed, rendered without saving (the image is not part of it). */
  async previewDraft({ request, view }: HttpContext) {
    const data = await request.validateUsing(articlePreviewValidator)
    const bodyHtml = renderRichText(data.body ?? '')
    return view.render('news::pages/show', {
      article: {
        title: data.title || 'Sans titre',
        slug: '',
        publishedAt: null,
        updatedAt: null,
        teaser: data.summary || excerpt(bodyHtml),
        bodyHtml,
        hasImage: false,
        imageAlt: '',
      },
      preview: { status: 'draft', statusLabel: 'Aperçu non enregistré', editUrl: null, imageUrl: null },
    })
  }

  async image({ params, response }: HttpContext) {
    const article = await NewsArticle.findOrFail(params.id)
    if (!article.imageKey) return response.notFound('Image introuvable')
    response.header('Content-Type', article.imageMime ?? 'application/octet-stream')
    response.header('Cache-Control', 'private, no-store')
    return response.stream(await drive.use().getStream(article.imageKey))
  }

  private async save(ctx: HttpContext, article: NewsArticle) {
    const data = await ctx.request.validateUsing(articleValidator, { meta: { hasImage: Boolean(article.imageKey) } })
    const now = DateTime.utc()

    let publishedAt: DateTime | null = null
    if (data.status === 'scheduled') {
      // a day and time in Paris, still to come (the validator says so)
      publishedAt = DateTime.fromISO(data.publishAt!, { zone: ZONE }).toUTC()
    } else if (data.status === 'published') {
      publishedAt = article.publishedAt && article.publishedAt <= now ? article.publishedAt : now
    }

    let stored: Awaited<ReturnType<typeof storeUpload>> | null = null
    if (data.image) {
      try {
        stored = await storeUpload(data.image, 'news/images', ['jpeg', 'png'])
      } catch (error) {
        if (error instanceof UploadRefused) throw fieldError('image', error.message, 'file')
        throw error
      }
    }

    const oldImageKey = article.imageKey
    if (stored) {
      article.imageKey = stored.key
      article.imageMime = stored.mime
    } else if (data.removeImage) {
      article.imageKey = null
      article.imageMime = null
    }
    article.imageAlt = article.imageKey ? data.imageAlt ?? null : null

    if (!article.slug || (!article.publishedAt && article.title !== data.title)) {
      article.slug = await newsService.uniqueSlug(data.title, article.id)
    }
    article.title = data.title
    article.summary = data.summary ?? null
    article.bodySource = data.body
    article.bodyHtml = renderRichText(data.body)
    article.publishedAt = publishedAt
    article.updatedById = ctx.auth.getUserOrFail().id
    await article.save()

    if (oldImageKey && oldImageKey !== article.imageKey) await drive.use().delete(oldImageKey)
  }
}
