import logger from '@adonisjs/core/services/logger'
import { lowerThreadPoolPriority } from '#core/thread_pool_priority'

// The web server only: its event loop serves pages before password hashes (see the module).
lowerThreadPoolPriority()
  .then((threads) =>
    logger.info(threads.length ? `${threads.length} fils de calcul (hachages, fichiers) en priorité basse` : 'priorité des fils de calcul inchangée')
  )
  .catch((error) => logger.warn(`priorité des fils de calcul inchangée : ${error.message}`))
