/**
 * The messaging module's face: the only file other modules import. No other module uses
 * messaging today: it hears the others' events (listeners/main.ts) and they never import it.
 * Everything in modules/messaging/ is private (a lint rule refuses deep imports).
 */
export {}
