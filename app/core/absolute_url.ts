import router from '@adonisjs/core/services/router'
import portalConfig from '#config/portal'

/**
 * A named route's URL with the portal's public address (APP_URL) in front: for what is read
 * outside the portal (mails, feeds, a calendar subscription).
 */
export function absoluteRoute(...[name, params, options]: Parameters<typeof router.makeUrl>): string {
  return portalConfig.appUrl.replace(/\/+$/, '') + router.makeUrl(name, params, options)
}
