import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, destination, targets } from '@adonisjs/core/logger'

/**
 * In production, pino writes each JSON line straight to stdout: no transport, so no worker
 * thread with a heap of its own (~20 MB resident) and no copy of every line between threads.
 * The write is synchronous: an asynchronous one would queue on libuv's thread pool behind the
 * password hashes, and a line is never lost in a crash. In development, pino-pretty.
 */
const loggerConfig = defineConfig({
  default: 'app',
  loggers: {
    app: {
      enabled: true,
      name: 'portail-famille',
      level: env.get('LOG_LEVEL', 'info'),
      ...(app.inProduction
        ? { desination: destination({ dest: 1, sync: true }) }
        : { transport: { targets: targets().push(targets.pretty()).toArray() } }),
    },
  },
})

export default loggerConfig

declare module '@adonisjs/core/types' {
  export interface LoggersList extends InferLoggers<typeof loggerConfig> {}
}
