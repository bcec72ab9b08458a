import { defineModule } from '#core/module_manifest'
import { lazyImport } from '#core/lazy_import'

const newsServiceModule = lazyImport(() => import('#modules/news/services/news_service'))

export default defineModule({
  name: 'news',
  label: 'Actualités',
  description:
    "Actualités, infos pratiques (documents à télécharger, structures d'accueil, menus de la cantine), pages de la commune et flux RSS.",
  dependsOn: ['accounts'],
  publicNav: [
    { label: 'ACTUALITÉS', route: 'news.index', order: 10, activePrefix: '/actualites' },
    { label: 'INFOS PRATIQUES', route: 'news.practical', order: 20, activePrefix: '/infos-pratiques' },
  ],
  parentNav: [{ label: 'ACTUALITÉS', route: 'news.index', order: 70, activePrefix: '/actualites' }],
  staffNav: [
    { label: 'ACTUALITÉS', route: 'news.staff.articles.index', order: 60, activePrefix: '/gestion/actualites' },
    { label: 'DOCUMENTS', route: 'news.staff.documents.index', order: 61, activePrefix: '/gestion/documents' },
    { label: 'STRUCTURES', route: 'news.staff.structures.index', order: 62, activePrefix: '/gestion/structures' },
    { label: 'MENUS', route: 'news.staff.menus.index', order: 63, activePrefix: '/gestion/menus' },
    { label: 'PAGES', route: 'news.staff.pages.index', order: 64, activePrefix: '/gestion/pages' },
  ],
  tiles: [
    {
      title: 'Actualités',
      icon: 'news',
      order: 70,
      links: [{ label: 'Consulter les dernières actualités', route: 'news.index' }],
    },
  ],
  publicBlocks: [
    { title: 'TÉLÉCHARGER', order: 10, links: [{ label: 'Nos documents', route: 'news.documents' }] },
    {
      title: 'NOTRE GESTION POUR :',
      order: 20,
      links: [
        { label: "l'Enfance", route: 'news.pages.enfance' },
        { label: 'La Jeunesse', route: 'news.pages.jeunesse' },
        { label: 'Les écoles', route: 'news.pages.ecoles' },
      ],
    },
  ],
  publicHomeSections: [
    {
      order: 10,
      render: async (ctx) => {
        const { default: newsService } = await newsServiceModule()
        const articles = await newsService.latest(3)
        return ctx.view.render('news::partials/home_news', { articles })
      },
    },
  ],
})
