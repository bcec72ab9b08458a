import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import moduleRegistry from '#core/module_registry'
import type { PageSection, TileLink } from '#core/module_manifest'
import visitorPageCache from '#core/visitor_page_cache'
import { signedInUser } from '#core/signed_in_user'
import { siteMapFor } from '#services/site_map'
import { accessibilityDeclaration } from '#services/accessibility_audit'

function resolveLinks(links: TileLink[]) {
  return links.map((link) => ({ label: link.label, href: router.makeUrl(link.route) }))
}

async function renderSections(sections: PageSection[], ctx: HttpContext) {
  return Promise.all(sections.map((section) => section.render(ctx)))
}

/** The pages of the core: the public home, the parents' home, the staff dashboard, the fixed pages. */
export default class PortalPagesController {
  async publicHome(ctx: HttpContext) {
    if (ctx.auth.user) {
      return ctx.response.redirect().toRoute(ctx.auth.user.isStaff ? 'staff.home' : 'parent.home')
    }
    // The same for every visitor (the rush's first page): rendered once, served again for 5 s.
    return visitorPageCache.render('home', ctx, async () =>
      ctx.view.render('pages/home', {
        leadSections: await renderSections(moduleRegistry.publicHomeSections.filter((section) => section.lead), ctx),
        sections: await renderSections(moduleRegistry.publicHomeSections.filter((section) => !section.lead), ctx),
        blocks: moduleRegistry.publicBlocks.map((block) => ({ ...block, links: resolveLinks(block.links) })),
      })
    )
  }

  async parentHome(ctx: HttpContext) {
    const tiles = await Promise.all(
      moduleRegistry.tiles.map(async (tile, index) => ({
        slug: `t${index}`,
        title: tile.title,
        icon: tile.icon,
        links: resolveLinks(tile.links),
        summary: tile.summary ? await tile.summary(ctx) : null,
      }))
    )
    return ctx.view.render('pages/parent_home', {
      tiles,
      sections: await renderSections(moduleRegistry.parentHomeSections, ctx),
    })
  }

  async staffHome(ctx: HttpContext) {
    // What waits for this agent in each enabled module, counted at once.
    const counts = await Promise.all(
      moduleRegistry.staffCounts.map(async (entry) => {
        const count = await entry.count(ctx)
        return { count, label: entry.label(count), href: router.makeUrl(entry.route, {}, entry.query ? { qs: entry.query } : undefined) }
      })
    )
    return ctx.view.render('pages/staff_home', { counts })
  }

  async fixedPage({ view, route }: HttpContext) {
    return view.render(`pages/legal/${route!.name!.split('.').pop()}`)
  }

  async siteMap(ctx: HttpContext) {
    const user = (await signedInUser(ctx)) ?? null
    return ctx.view.render('pages/site_map', { sections: siteMapFor(user) })
  }

  /** The accessibility declaration, computed from the audit kept in docs/accessibility/. */
  async accessibility({ view }: HttpContext) {
    const { audit, summary } = accessibilityDeclaration()
    return view.render('pages/legal/accessibility', { audit, summary })
  }

  /** Called by the idle-session warning: the request itself extends the session. */
  async extendSession({ response }: HttpContext) {
    return response.noContent()
  }
}
