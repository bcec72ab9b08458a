import type { Route } from '@adonisjs/core/http'

const declared: { route: Route; home: boolean }[] = []
let openKeys: Set<string> | null = null
let homePattern: string | null | undefined

/**
 * Declares a route open to read-only accounts (a person authorized to pick the children up,
 * invited by a guardian). Every other route behind `middleware.auth()` refuses them
 * (app/middleware/auth_middleware.ts): what they may reach is listed, never guessed.
 * `home`: the page they land on after signing in (one route, without parameters).
 */
export function openToReadOnlyAccounts(route: Route, options: { home?: boolean } = {}): Route {
  openKeys = null
  homePattern = undefined
  declared.push({ route, home: options.home ?? false })
  return route
}

/** Whether the matched route (its final pattern, group prefixes applied) is open to them. */
export function isOpenToReadOnly(pattern: string, method: string): boolean {
  // Read once the router is committed (requests come after), when every prefix is applied.
  openKeys ??= new Set(declared.flatMap(({ route }) => route.toJSON().methods.map((verb) => `${verb} ${route.toJSON().pattern}`)))
  return openKeys.has(`${method.toUpperCase()} ${pattern}`)
}

/** The URL of their home page, or null when no enabled module offers one. */
export function readOnlyHomeUrl(): string | null {
  if (homePattern === undefined) homePattern = declared.find((entry) => entry.home)?.route.toJSON().pattern ?? null
  return homePattern
}
