import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const APP_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const TS_LOADER = '--import=ts-node-maintained/register/esm'

/** Runs `node ace ...` in a child process (its own boot, its own PORTAL_MODULES). */
export function runAce(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['ace', ...args], {
    cwd: APP_ROOT,
    env: { ...process.env, NODE_ENV: 'test', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: result.stdout + result.stderr }
}

/** Like runAce, without blocking this process: for a command that runs while the test does other things. */
export function spawnAce(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ status: number | null; output: string }>((resolve) => {
    let output = ''
    const child = spawn(process.execPath, ['ace', ...args], { cwd: APP_ROOT, env: { ...process.env, NODE_ENV: 'test', ...env } })
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('close', (status) => resolve({ status, output }))
  })
}

/** Starts bin/server.ts in a child process and resolves once it answers on its port. */
export async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess & { output: () => string }> {
  let output = ''
  const child = spawn(process.execPath, [TS_LOADER, 'bin/server.ts'], {
    cwd: APP_ROOT,
    env: { ...process.env, NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', ...env },
  }) as ChildProcess & { output: () => string }
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  child.output = () => output
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Le serveur s'est arrêté : ${output}`)
    try {
      await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' })
      return child
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
  child.kill()
  throw new Error(`Le serveur n'a pas répondu à temps : ${output}`)
}

/** Runs bin/server.ts expecting it to refuse to boot; returns its exit code and output. */
export function bootAndExpectFailure(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [TS_LOADER, 'bin/server.ts'], {
    cwd: APP_ROOT,
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { status: result.status, output: result.stdout + result.stderr }
}
