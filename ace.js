/*
 * JavaScript entrypoint for Ace commands: registers the TypeScript loader, then hands over to bin/console.
 */
import 'ts-node-maintained/register/esm'
await import('./bin/console.js')
