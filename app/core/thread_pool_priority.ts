import { pbkdf2 } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { setPriority } from 'node:os'

/**
 * Password hashes (argon2id, ~25 ms of CPU each) run on libuv's thread pool. During a login
 * rush they kept every core busy, and the event loop, which serves every page, got only its
 * share of the CPU beside them: a month planning page waited seconds. The pool's threads are
 * given a lower priority (nice) than the event loop: pages are served first, hashes use the
 * CPU that is left, and no CPU stays idle.
 *
 * Node names no thread, so the pool's threads are found by what they do: each is given a
 * known piece of work (PBKDF2) at once, and the threads whose CPU time grew by about that
 * much are the pool. Linux only (/proc/self/task/<tid>/schedstat); elsewhere nothing changes.
 */

/** CPU time (ns) of each thread of this process. */
function threadRuntimes(): Map<number, number> {
  const runtimes = new Map<number, number>()
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      runtimes.set(Number(tid), Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]))
    } catch {
      // The thread ended meanwhile.
    }
  }
  return runtimes
}

// ~15 ms of CPU per thread here: long enough that no other thread (GC, a file read) does as
// much meanwhile, even on a loaded machine; paid once at boot.
const PROBE_ITERATIONS = 60_000
const ATTEMPTS = 5

function probe(size: number) {
  const work = () => new Promise<void>((resolve) => pbkdf2('sonde', 'pool', PROBE_ITERATIONS, 32, 'sha256', () => resolve()))
  return Promise.all(Array.from({ length: size }, work))
}

/**
 * The threads of the pool: the `size` threads (main thread excepted) that did each about
 * the same share of the probe, clearly more than any other thread. Null when it is not clear.
 */
export function poolThreads(before: Map<number, number>, after: Map<number, number>, size: number, mainThread = process.pid) {
  const grown = [...after]
    .filter(([tid]) => tid !== mainThread)
    .map(([tid, ns]) => ({ tid, ns: ns - (before.get(tid) ?? ns) }))
    .sort((a, b) => b.ns - a.ns)
  const pool = grown.slice(0, size)
  if (pool.length < size) return null
  const least = pool[pool.length - 1].ns
  const next = grown[size]?.ns ?? 0
  return least > 0 && pool.every((thread) => thread.ns < least * 3) && next < least / 4 ? pool.map((thread) => thread.tid) : null
}

/** Lowers the priority of the thread pool's threads; returns their ids (none when not found). */
export async function lowerThreadPoolPriority(nice = 10): Promise<number[]> {
  if (process.platform !== 'linux') return []
  const size = Number(process.env.UV_THREADPOOL_SIZE) || 4
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const before = threadRuntimes()
    await probe(size)
    const threads = poolThreads(before, threadRuntimes(), size)
    if (!threads) continue
    for (const tid of threads) setPriority(tid, nice)
    return threads
  }
  return []
}
