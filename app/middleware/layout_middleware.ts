import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import router from '@adonisjs/core/services/router'
import moduleRegistry from '#core/module_registry'
import communeSettings from '#services/commune_settings'
import portalConfig from '#config/portal'
import type { NavEntry } from '#core/module_manifest'
import { signedInUser } from '#core/signed_in_user'
import { provideViewLocals } from '#core/request_view'

function menu(entries: NavEntry[], path: string) {
  return entries.map((entry) => ({
    label: entry.label,
    // made once per route by the router itself (app/core/route_urls.ts)
    href: router.makeUrl(entry.route),
    current: path === entry.activePrefix || path.startsWith(entry.activePrefix + '/'),
  }))
}

/**
 * Shares with every view what the layout needs: the commune's identity, the signed-in
 * user and the menus of the enabled modules.
 */
export default class LayoutMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const path = ctx.request.url()
    const settings = await communeSettings.get()
    const user = (await signedInUser(ctx)) ?? null
    provideViewLocals(ctx, () => ({
      commune: settings,
      currentUser: user,
      currentPath: path,
      idleMinutes: portalConfig.idleMinutes,
      publicMenu: menu(moduleRegistry.publicNav, path),
      parentMenu: user && !user.isReadOnly ? menu(moduleRegistry.parentNav, path) : [],
      staffMenu: user?.isStaff ? menu(moduleRegistry.staffNav, path) : [],
      isModuleEnabled: (name: string) => moduleRegistry.isEnabled(name),
    }))
    return next()
  }
}
