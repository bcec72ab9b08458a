import { portalIgnitor } from './ignitor.js'
import { reportCommandFailure } from '#core/command_failure'

/*
 * Every failure, while booting or inside a command, is one French sentence on stderr and a
 * non-zero exit (app/core/command_failure.ts), never a stack trace, terminal or not (cron).
 */
portalIgnitor()
  .ace()
  .configure(async (app) => {
    const kernel = await app.container.make('ace')
    kernel.errorHandler = { render: async (error: unknown) => reportCommandFailure(error) }
  })
  .handle(process.argv.splice(2))
  .catch(async (error) => {
    process.exitCode = 1
    await reportCommandFailure(error)
  })
