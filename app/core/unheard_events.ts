type Emitter = {
  emit(event: any, data?: any): Promise<void>
  hasListeners(event: any): boolean
}

/** Emitted by @adonisjs/session on every request, listened to by nothing in the portal. */
export const PER_REQUEST_EVENTS = ['session:initiated', 'session:committed', 'session:migrated'] as const

/**
 * Emitting an event nobody listens to still goes through emittery's asynchronous machinery
 * (~3 % of a visitor's request through the middleware, measured, for the session's two events).
 * These events are emitted only while something listens to them; any other event, and these
 * as soon as a listener (or an `onAny` listener) exists, are emitted as before. A test that
 * fakes one of them must also listen to it.
 */
export function emitOnlyWhenHeard(emitter: Emitter, events: readonly string[] = PER_REQUEST_EVENTS) {
  const emit = emitter.emit.bind(emitter)
  const quiet = new Set<string>(events)
  const done = Promise.resolve()
  emitter.emit = (event: any, data?: any) => (quiet.has(event) && !emitter.hasListeners(event) ? done : emit(event, data))
  return emitter
}
