import type { Group } from '@japa/runner/core'
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '#modules/billing/simulator/simulator'

/**
 * Starts the PayFiP simulator on a free port for the whole group and points the portal at it
 * (PAYFIP_URL, a test client number); stops it and restores the environment afterwards.
 */
export function usePayfipSimulator(group: Group, options: SimulatorOptions = {}) {
  const payfip = {} as { simulator: RunningSimulator }
  group.setup(async () => {
    payfip.simulator = await startSimulator(0, options)
    process.env.PAYFIP_URL = payfip.simulator.url
    process.env.PAYFIP_NUMCLI = '123456'
    return async () => {
      delete process.env.PAYFIP_URL
      delete process.env.PAYFIP_NUMCLI
      await payfip.simulator.close()
    }
  })
  return payfip
}
