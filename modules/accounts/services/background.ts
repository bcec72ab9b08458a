import logger from '@adonisjs/core/services/logger'

const pending = new Set<Promise<unknown>>()

/**
 * Runs a mail sending after the response, so that a page answers in the same time whether
 * an account exists or not. Tests await `drain()` before reading the outbox.
 */
export function inBackground(label: string, task: () => Promise<unknown>) {
  const promise = task()
    .catch((error) => logger.error({ err: error }, `accounts: ${label} a échoué`))
    .finally(() => pending.delete(promise))
  pending.add(promise)
}

export async function drain() {
  while (pending.size) await Promise.all([...pending])
}
