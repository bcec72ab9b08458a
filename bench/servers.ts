/*
 * The bench's child processes: servers (stopped on exit, never left behind), one-shot Node
 * commands, the argon2 baseline, and the app server's resident memory.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../', import.meta.url))

/** A page's bytes for the app's /__bench/page-copy (BENCH_PAGE_COPY in the app's environment). */
export const PAGE_COPY_FILE = join(ROOT, 'tmp', 'bench-page-copy.html')

const children = new Set<ChildProcess>()

export interface Server {
  child: ChildProcess
  name: string
  output(): string
}

export function start(name: string, args: string[], env: NodeJS.ProcessEnv): Server {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(child)
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  child.on('exit', () => children.delete(child))
  return { child, output: () => output, name }
}

/** SIGTERM, then SIGKILL after 5 s: the bench never leaves a server behind nor waits forever. */
export function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

export const stopAll = () => Promise.all([...children].map(stop))

process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopAll().finally(() => process.exit(130))
  })
}

export async function waitFor(url: string, server: Server, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(`${server.name} s'est arrêté (code ${server.child.exitCode}) :\n${server.output()}`)
    }
    try {
      const response = await fetch(url)
      if (response.ok) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`${server.name} ne répond pas sur ${url} après ${timeoutMs / 1000} s :\n${server.output()}`)
}

/** `node <args>`; resolves with its output, rejects (with the output) on a non-zero exit. */
export function run(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`node ${args.join(' ')} a échoué (code ${code}) :\n${output.slice(-4000)}`))
    )
  })
}

/** bench/hash_baseline.js in a process of its own (nothing else runs in it): hashes/s. */
export async function hashBaseline(seconds: number) {
  const output = await run([`${ROOT}bench/hash_baseline.js`, String(seconds)], process.env)
  const value = Number(/([\d.]+) hashes\/s\s*$/.exec(output)?.[1])
  if (!Number.isFinite(value) || value <= 0) throw new Error(`bench/hash_baseline.js n'a pas donné de mesure :\n${output}`)
  return { value, detail: output.trim().split('\n')[0] }
}

/** VmRSS of a Linux process in MB, undefined once it is gone (or off Linux). */
function residentMb(pid: number) {
  try {
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
    return Number.isFinite(kb) ? kb / 1024 : undefined
  } catch {
    return undefined
  }
}

/** Samples the process's resident memory every 150 ms until stop(), which gives the peak in MB. */
export function watchMemory(pid: number) {
  let peak = residentMb(pid) ?? 0
  const timer = setInterval(() => {
    peak = Math.max(peak, residentMb(pid) ?? 0)
  }, 150)
  return {
    stop() {
      clearInterval(timer)
      peak = Math.max(peak, residentMb(pid) ?? 0)
      return peak
    },
  }
}

/** CPU time (user + system) in ms of each thread of a Linux process, by thread id; empty off Linux. */
function threadCpuMs(pid: number): Map<number, number> {
  const threads = new Map<number, number>()
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')
        threads.set(Number(tid), ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS)
      } catch {
        // The thread ended meanwhile.
      }
    }
  } catch {
    // Not Linux, or the process is gone.
  }
  return threads
}

// USER_HZ: 100 on every Linux the portal runs on (getconf CLK_TCK).
const CLOCK_TICKS = 100

export interface CpuSplit {
  /** The server's event loop (its main thread). */
  mainMs: number
  /** The server's busiest other threads: libuv's pool (password hashes), UV_THREADPOOL_SIZE of them. */
  poolMs: number
  /** The server's remaining threads (V8's garbage collection and compiler). */
  otherMs: number
  /** This bench process (the load generator, on the same cores). */
  clientMs: number
}

/**
 * Where the CPU went between start and stop(): a process's threads are told apart by what
 * they did (the pool's threads hash and so burn the most besides the main thread). Measured
 * from /proc, so it holds however loaded the machine is.
 */
export function watchCpu(pid: number) {
  const before = threadCpuMs(pid)
  const client = process.cpuUsage()
  return {
    stop(): CpuSplit {
      const after = threadCpuMs(pid)
      const grown = [...after].map(([tid, ms]) => ({ tid, ms: ms - (before.get(tid) ?? 0) }))
      const mainMs = grown.find((thread) => thread.tid === pid)?.ms ?? 0
      const others = grown.filter((thread) => thread.tid !== pid).sort((a, b) => b.ms - a.ms)
      const poolSize = Number(process.env.UV_THREADPOOL_SIZE) || 4
      const poolMs = others.slice(0, poolSize).reduce((sum, thread) => sum + thread.ms, 0)
      const otherMs = others.slice(poolSize).reduce((sum, thread) => sum + thread.ms, 0)
      const used = process.cpuUsage(client)
      return { mainMs, poolMs, otherMs, clientMs: (used.user + used.system) / 1000 }
    },
  }
}
