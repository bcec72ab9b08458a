import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import drive from '@adonisjs/drive/services/main'
import type { DemoContext } from '#core/demo'
import { ZONE } from '#core/format'
import communeSettings from '#services/commune_settings'
import { User } from '#modules/accounts/index'
import NewsArticle from '#modules/news/models/news_article'
import NewsDocument from '#modules/news/models/news_document'
import CareStructure from '#modules/news/models/care_structure'
import CanteenMenu from '#modules/news/models/canteen_menu'
import CommunePage from '#modules/news/models/commune_page'
import { renderRichText } from '#modules/news/services/rich_text'
import { slugify } from '#modules/news/services/news_service'
import { simplePdf } from '#modules/news/services/pdf_document'
import { de } from '#core/french'

/** A one-pixel PNG, so the demo has an article with an image. */
const DEMO_IMAGE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

/** The public space of the demo commune: news, documents, a structure, a week of menus, pages. */
export default async function seedNewsDemo(demo: DemoContext) {
  const settings = await communeSettings.get()
  const commune = settings.name
  const staff = await User.query().whereIn('role', ['staff', 'admin']).orderBy('id').first()
  const authorId = staff?.id ?? null
  const now = demo.now.setZone(ZONE)

  const articles: { title: string; at: DateTime | null; body: string; summary?: string; imageAlt?: string }[] = [
    {
      title: `Bienvenue à ${commune} !`,
      at: DateTime.fromObject({ year: 2023, month: 5, day: 10, hour: 9 }, { zone: ZONE }),
      summary: 'Utile au quotidien, ce portail vous simplifiera la vie !',
      body: [
        "Par la mise en place d'un espace personnalisé, disponible 24/24 et 7 jours/7, vous pouvez :",
        '',
        '- consulter et modifier certaines de vos informations personnelles ;',
        '- inscrire vos enfants aux activités et réserver les jours de présence ;',
        '- payer vos factures en ligne ;',
        '- échanger avec le service Enfance – Jeunesse par la messagerie.',
        '',
        '## Comment activer votre compte ?',
        "Cliquez sur le lien reçu par courriel, acceptez les conditions générales d'utilisation puis créez votre mot de passe.",
        '',
        'Le guide d’utilisation est disponible dans [les documents à télécharger](/infos-pratiques/documents).',
      ].join('\n'),
    },
    {
      title: 'Inscriptions aux vacances : c’est ouvert',
      at: now.minus({ days: 6 }).set({ hour: 8, minute: 30, second: 0, millisecond: 0 }),
      body: [
        "Les inscriptions à l'accueil de loisirs pour les prochaines vacances sont ouvertes sur le portail.",
        '',
        '## Les dates à retenir',
        '1. Ouverture des inscriptions : dès aujourd’hui ;',
        '2. Clôture : **15 jours francs** avant le début des vacances.',
        '',
        'Les places sont attribuées dans la limite de la capacité d’accueil.',
      ].join('\n'),
    },
    {
      title: 'Semaine du goût à la cantine',
      at: now.minus({ days: 20 }).set({ hour: 11, minute: 0, second: 0, millisecond: 0 }),
      body: 'Cette semaine, les enfants découvrent des produits **locaux et de saison**. Retrouvez les menus dans les *infos pratiques*.',
      imageAlt: 'Un plateau de fruits et légumes de saison',
    },
    {
      title: 'Fête de fin d’année de l’accueil de loisirs',
      at: now.plus({ days: 10 }).set({ hour: 8, minute: 0, second: 0, millisecond: 0 }),
      body: 'Les familles sont invitées au spectacle préparé par les enfants. (Actualité programmée : visible à partir de sa date de publication.)',
    },
  ]
  for (const item of articles) {
    const slug = slugify(item.title)
    if (await NewsArticle.findBy('slug', slug)) continue
    let imageKey: string | null = null
    if (item.imageAlt) {
      imageKey = `news/images/${randomUUID()}.png`
      await drive.use().put(imageKey, DEMO_IMAGE)
    }
    await NewsArticle.create({
      imageKey,
      imageMime: imageKey ? 'image/png' : null,
      imageAlt: item.imageAlt ?? null,
      title: item.title,
      slug,
      summary: item.summary ?? null,
      bodySource: item.body,
      bodyHtml: renderRichText(item.body),
      publishedAt: item.at?.toUTC() ?? null,
      authorId,
      updatedById: authorId,
    })
  }

  const documents = [
    {
      title: "Guide d'utilisation du Portail Famille",
      fileName: 'guide-portail-famille.pdf',
      paragraphs: [
        `Portail Famille ${de(commune)}.`,
        "Le portail famille est un espace numérique permettant aux familles d'effectuer les démarches liées aux activités de leurs enfants, 7 jours sur 7 et 24 heures sur 24.",
        'Inscriptions, réservations, paiement des factures, messagerie : tout est expliqué pas à pas.',
      ],
    },
    {
      title: "Règlement intérieur de l'accueil de loisirs",
      fileName: 'reglement-interieur-accueil-de-loisirs.pdf',
      paragraphs: [
        "Les réservations et annulations se font sur le portail dans les délais fixés par le présent règlement.",
        'Toute absence non justifiée est facturée. Un certificat médical fourni sous 48 heures justifie une absence.',
      ],
    },
  ]
  for (const item of documents) {
    if (await NewsDocument.findBy('file_name', item.fileName)) continue
    const bytes = await simplePdf(item.title, item.paragraphs)
    const key = `news/documents/${randomUUID()}.pdf`
    await drive.use().put(key, bytes)
    await NewsDocument.create({ title: item.title, fileKey: key, fileName: item.fileName, mime: 'application/pdf', size: bytes.length, authorId })
  }

  if (!(await CareStructure.query().first())) {
    await CareStructure.create({
      name: 'Accueil de loisirs',
      address: `Chemin des écoles, ${commune}`,
      phones: 'Accueil de loisirs : 06 29 93 85 45\nBureau : 04 93 98 50 63',
      email: null,
      openingHours:
        'Lundi, mardi, jeudi, vendredi : 7 h 30 – 8 h 30 et 16 h 30 – 18 h 30\nMercredi et vacances scolaires : 7 h 30 – 18 h 30',
      ageGroups: 'De 3 à 11 ans (maternelle et élémentaire)',
      position: 0,
      authorId,
      updatedById: authorId,
    })
  }

  const monday = (now.weekday >= 6 ? now.plus({ weeks: 1 }) : now).startOf('week')
  const week = [
    { offset: 0, starter: 'Salade de carottes râpées', mainCourse: 'Poulet rôti, haricots verts', dessert: 'Yaourt nature', allergens: 'Lait' },
    { offset: 1, starter: 'Velouté de potiron', mainCourse: 'Lasagnes à la bolognaise', dessert: 'Pomme', allergens: 'Gluten, lait, œuf, céleri' },
    { offset: 3, starter: 'Taboulé', mainCourse: 'Poisson pané, purée', dessert: 'Compote', allergens: 'Gluten, poisson, lait' },
    { offset: 4, starter: 'Betteraves vinaigrette', mainCourse: 'Omelette, pommes de terre sautées', dessert: 'Fromage blanc aux fruits', allergens: 'Œuf, lait, moutarde' },
  ]
  for (const item of week) {
    const day = monday.plus({ days: item.offset }).toISODate()!
    if (await CanteenMenu.query().where({ school: '', day }).first()) continue
    await CanteenMenu.create({
      school: '',
      day,
      starter: item.starter,
      mainCourse: item.mainCourse,
      dessert: item.dessert,
      allergens: item.allergens,
      authorId,
      updatedById: authorId,
    })
  }

  const pages = [
    {
      slug: 'enfance',
      title: "Notre gestion pour l'Enfance",
      body: `## L'accueil périscolaire\nLe matin avant l'école et le soir après la classe, les enfants de 3 à 11 ans sont accueillis par une équipe d'animateurs diplômés.\n\n## L'accueil de loisirs\nLe mercredi et pendant les vacances scolaires, des activités adaptées à chaque âge.`,
    },
    {
      slug: 'jeunesse',
      title: 'Notre gestion pour la Jeunesse',
      body: `## Les 11-17 ans\nLa coordination Jeunesse, Sport et Loisirs propose des activités et des séjours pendant les vacances.\n\nContact : 04 92 15 18 51.`,
    },
    {
      slug: 'ecoles',
      title: 'Notre gestion pour les écoles',
      body: `## La restauration scolaire\nLes repas sont préparés avec des produits de saison. Les menus sont publiés chaque semaine dans les [infos pratiques](/infos-pratiques).\n\n## Les inscriptions scolaires\nLa première inscription se fait en mairie.`,
    },
    {
      slug: 'cgu',
      title: "Conditions générales d'utilisation",
      body: `## Objet\nLes présentes conditions encadrent l'utilisation du Portail Famille ${de(commune)}.\n\n## Accès\nLe compte est créé par les services de la commune ; il s'active par le lien reçu par courriel, valable 96 heures.\n\n## Données personnelles\nSeules les données nécessaires au service sont collectées ; voir la page [Données personnelles](/donnees-personnelles).`,
    },
  ]
  for (const item of pages) {
    if (await CommunePage.findBy('slug', item.slug)) continue
    await CommunePage.create({ slug: item.slug, title: item.title, bodySource: item.body, bodyHtml: renderRichText(item.body), authorId, updatedById: authorId })
  }

  demo.state.news = { articles: articles.length }
}
