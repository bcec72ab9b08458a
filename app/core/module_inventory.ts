export interface RouteSummary {
  methods: string[]
  pattern: string
  name?: string
}

/** Flattens the router's entries (routes, groups, resources, brisk routes) into plain routes. */
export function flattenRoutes(entries: any[]): RouteSummary[] {
  return entries.flatMap((entry): RouteSummary[] => {
    if (Array.isArray(entry.routes)) return flattenRoutes(entry.routes)
    const route = entry.route ?? entry
    if (!route || typeof route.toJSON !== 'function') return []
    const json = route.toJSON()
    return [{ methods: json.methods.filter((m: string) => m !== 'HEAD'), pattern: json.pattern, name: json.name }]
  })
}
