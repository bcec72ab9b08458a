import type { HttpContext } from '@adonisjs/core/http'
import drive from '@adonisjs/drive/services/main'
import communeSettings from '#services/commune_settings'
import newsService, { presentArticle } from '#modules/news/services/news_service'
import { buildRssFeed } from '#modules/news/services/feed_service'
import { pageNumber } from '#core/pagination'

/** ACTUALITÉS: the list, an article, its image and the RSS feed; open to everyone. */
export default class NewsController {
  async index({ request, view }: HttpContext) {
    const { articles, meta } = await newsService.page(pageNumber(request.input('page')))
    return view.render('news::pages/index', { articles, meta })
  }

  async show({ params, view }: HttpContext) {
    const article = await newsService.findPublished(params.slug)
    return view.render('news::pages/show', { article: presentArticle(article), preview: false })
  }

  async image({ params, response }: HttpContext) {
    const article = await newsService.findPublished(params.slug)
    if (!article.imageKey) return response.notFound('Image introuvable')
    response.header('Content-Type', article.imageMime ?? 'application/octet-stream')
    response.header('Cache-Control', 'public, max-age=3600')
    return response.stream(await drive.use().getStream(article.imageKey))
  }

  async feed({ response }: HttpContext) {
    const [commune, articles] = await Promise.all([communeSettings.get(), newsService.latest(20)])
    response.header('Content-Type', 'application/rss+xml; charset=utf-8')
    return buildRssFeed(commune.name, articles)
  }
}
