import { portalIgnitor } from './ignitor.js'
import { prettyPrintError } from '@adonisjs/core'
import { reportBootFailure } from '#start/boot_failure'
import { limitHeapGrowth } from '#core/heap_growth'

limitHeapGrowth()

portalIgnitor()
  .httpServer()
  .start()
  .catch((error) => {
    process.exitCode = 1
    if (!reportBootFailure(error)) prettyPrintError(error)
  })
