import { setFlagsFromString } from 'node:v8'

/**
 * How far V8 lets the old generation grow past what survived its last full collection before
 * the next one: at most twice, instead of V8's own factor (up to four times when collecting is
 * quick, as on a server whose live heap is ~40 MB). Measured on a server that had already run
 * 1,200 rush journeys, then the rush (300 parents at once, 2 cores): peak resident memory
 * 343–345 MB → 285–286 MB, for ~0.3 ms more of the collector's threads a journey (of ~32 ms).
 * Set at start rather than on the command line: Node does not take this V8 flag in NODE_OPTIONS,
 * and V8 reads it at each collection, so the server has it however a host starts it.
 */
export const HEAP_GROWING_PERCENT = 100

export function limitHeapGrowth() {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
}
