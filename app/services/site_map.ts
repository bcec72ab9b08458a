import router from '@adonisjs/core/services/router'
import moduleRegistry from '#core/module_registry'
import type { NavEntry, TileLink } from '#core/module_manifest'

export interface SiteMapLink {
  label: string
  /** A group (a home tile's title) has no address of its own, only its links. */
  href?: string
  children?: SiteMapLink[]
}

export interface SiteMapSection {
  title: string
  links: SiteMapLink[]
}

/** "FACTURATION" → "Facturation": the menus shout, a list of pages reads better in sentence case. */
function sentenceCase(label: string) {
  return label === label.toUpperCase() ? label.charAt(0) + label.slice(1).toLocaleLowerCase('fr') : label
}

const link = (label: string, route: string): SiteMapLink => ({ label: sentenceCase(label), href: router.makeUrl(route) })
const fromNav = (entries: NavEntry[]) => entries.map((entry) => link(entry.label, entry.route))
const fromTileLinks = (links: TileLink[]) => links.map((entry) => link(entry.label, entry.route))

/**
 * The site map (RGAA 12.1: a second way to reach every page): the pages the enabled modules offer
 * to this user — the public menu and home blocks, the family space with its home tiles' links,
 * the staff space — then the legal pages. A disabled module brings nothing here.
 */
export function siteMapFor(user: { isStaff: boolean } | null): SiteMapSection[] {
  const sections: SiteMapSection[] = []
  const publicLinks = [link('Accueil', 'home'), ...fromNav(moduleRegistry.publicNav)]
  const publicHrefs = new Set(publicLinks.map((entry) => entry.href))
  for (const block of moduleRegistry.publicBlocks) {
    for (const entry of fromTileLinks(block.links)) if (!publicHrefs.has(entry.href)) publicLinks.push(entry), publicHrefs.add(entry.href)
  }
  if (!user) publicLinks.push(link('Se connecter', 'auth.login'))
  sections.push({ title: 'Espace public', links: publicLinks })

  if (user) {
    const family: SiteMapLink[] = [link('Accueil de votre espace', 'parent.home')]
    const listed = new Set(family.map((entry) => entry.href))
    for (const entry of fromNav(moduleRegistry.parentNav)) {
      family.push(entry)
      listed.add(entry.href)
    }
    // The home tiles' links that the menu does not already give, each under its tile's title.
    for (const tile of moduleRegistry.tiles) {
      const extra = fromTileLinks(tile.links).filter((entry) => !listed.has(entry.href))
      for (const entry of extra) listed.add(entry.href)
      if (extra.length) family.push({ label: tile.title, children: extra })
    }
    family.push(link('Mon compte', 'account.show'))
    sections.push({ title: 'Espace famille', links: family })
  }
  if (user?.isStaff) {
    sections.push({ title: 'Gestion', links: [link('Tableau de bord', 'staff.home'), ...fromNav(moduleRegistry.staffNav)] })
  }
  sections.push({
    title: 'Informations',
    links: [link('Accessibilité', 'legal.accessibility'), link('Mentions légales', 'legal.notice'), link('Données personnelles', 'legal.privacy'), link('Plan du site', 'site_map')],
  })
  return sections
}
