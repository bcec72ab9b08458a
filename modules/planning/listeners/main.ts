import emitter from '@adonisjs/core/services/emitter'
import logger from '@adonisjs/core/services/logger'

// A registration ended or cancelled: its coming days give their places back.
emitter.on('inscription:cancelled', async (event) => {
  try {
    const { default: registrationEndService } = await import('#modules/planning/services/registration_end_service')
    await registrationEndService.release(event.registrationId)
  } catch (error) {
    logger.error({ err: error, registrationId: event.registrationId }, 'planning : places non rendues après la fin d’inscription')
  }
})

// A shared custody ended: the other household's coming days of the child give their places back.
emitter.on('dossier:custody-ended', async (event) => {
  try {
    const { releaseAfterCustody } = await import('#modules/planning/services/custody_end_service')
    await releaseAfterCustody(event)
  } catch (error) {
    logger.error({ err: error, childId: event.childId }, 'planning : jours non rendus après la fin de la garde alternée')
  }
})
