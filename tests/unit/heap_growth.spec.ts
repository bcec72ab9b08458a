import { spawnSync } from 'node:child_process'
import { test } from '@japa/runner'

/**
 * A process that keeps ~20 MB alive and churns ~500 MB of short-lived objects, as a server in a
 * rush does: the largest old generation it reached, in MB, with limitHeapGrowth() or with the
 * V8 flags given on its command line.
 */
function largestOldGeneration(limited: boolean, v8Flags: string[] = []) {
  const probe = `
    import { getHeapSpaceStatistics } from 'node:v8'
    import { limitHeapGrowth } from '#core/heap_growth'
    if (${limited}) limitHeapGrowth()
    const oldSpace = () => getHeapSpaceStatistics().find((space) => space.space_name === 'old_space').space_size
    const live = Array.from({ length: 200000 }, (_, i) => ({ i, text: 'x'.repeat(40) + i }))
    let recent = []
    let largest = 0
    for (let round = 0; round < 3000; round++) {
      for (let j = 0; j < 2000; j++) recent.push({ j, list: [j, j + 1], text: 'y' + j })
      if (recent.length > 20000) recent = []
      if (round % 50 === 0) largest = Math.max(largest, oldSpace())
    }
    console.log(live.length && Math.round(largest / 1048576))
  `
  const run = spawnSync(process.execPath, [...v8Flags, '--max-semi-space-size=8', '--import=ts-node-maintained/register/esm', '--input-type=module', '--eval', probe], {
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(run.stderr)
  return Number(run.stdout.trim())
}

/**
 * V8's own factor depends on how fast it collects against how fast the program allocates, so on a
 * loaded machine it may choose twice by itself. The reference is its largest factor, four times,
 * asked for on the command line: the comparison then holds whatever the machine's load.
 */
const V8_LARGEST_GROWTH = ['--heap-growing-percent=300']

test.group('Heap growth of the web server', () => {
  test('the old generation grows to about twice what survives, not four times', ({ assert }) => {
    const fourTimes = largestOldGeneration(false, V8_LARGEST_GROWTH)
    const limited = largestOldGeneration(true)
    assert.isBelow(limited, fourTimes * 0.7, `${limited} MB limited against ${fourTimes} MB growing four times`)
  }).timeout(60_000)
})
