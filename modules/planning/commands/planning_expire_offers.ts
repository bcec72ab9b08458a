import ModuleCommand from '#core/module_command'

export default class PlanningExpireOffers extends ModuleCommand {
  static commandName = 'planning:expire-offers'
  static description =
    "Passe à l'enfant suivant de la liste d'attente les places proposées dont le délai de réponse est dépassé (à lancer tous les quarts d'heure) ; sans enfant suivant, la place redevient libre."
  static module = 'planning'
  static help = ['  node ace planning:expire-offers']

  async run() {
    const { plural } = await import('#core/french')
    const { default: waitlistOfferService } = await import('#modules/planning/services/waitlist_offer_service')
    const expired = await waitlistOfferService.expireDue()
    if (!expired) {
      this.logger.info("Aucune place proposée n'a dépassé son délai : rien à faire.")
      return
    }
    this.logger.success(`${plural(expired, 'place proposée expirée', 'places proposées expirées')} : proposées à l'enfant suivant de la liste d'attente, ou libérées.`)
  }
}
