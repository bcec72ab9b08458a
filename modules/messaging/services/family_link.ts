import router from '@adonisjs/core/services/router'

const FAMILY_FILE_PATTERN = '/gestion/familles/:id'

/**
 * The family's file in the staff area (dossier's route). Built from the route's name when the
 * dossier module declares it, so a renamed route still resolves; else the documented path.
 */
export function familyFileUrl(familyId: number): string {
  const routes = Object.values(router.toJSON()).flat()
  const route = routes.find((candidate) => candidate.pattern === FAMILY_FILE_PATTERN && candidate.methods.includes('GET'))
  if (route?.name) {
    try {
      return router.makeUrl(route.name, { id: familyId })
    } catch {
      // fall through to the documented path
    }
  }
  return FAMILY_FILE_PATTERN.replace(':id', String(familyId))
}
