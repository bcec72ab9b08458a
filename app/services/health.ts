import { connect } from 'node:net'
import { access, constants, mkdir } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import { BaseCheck, DiskSpaceCheck, HealthChecks, Result } from '@adonisjs/core/health'
import type { HealthCheckResult } from '@adonisjs/core/types/health'
import env from '#start/env'
import { dataPaths } from '#core/project_paths'

/*
 * GET /sante: what a supervisor (monitoring, load balancer) needs to know, and nothing more:
 * the database, Redis when configured, the disk of the private files, the mail transport.
 * AdonisJS's checks do the work; the answer keeps their status and a French sentence, never
 * their metadata or error (which could carry a host, a user name or a query).
 */

type CheckName = 'base_de_donnees' | 'redis' | 'stockage' | 'courrier'
const SENTENCES: Record<CheckName, Record<HealthCheckResult['status'], string>> = {
  base_de_donnees: { ok: 'La base de données répond.', warning: 'La base de données répond lentement.', error: 'La base de données ne répond pas.' },
  redis: { ok: 'Redis répond.', warning: 'Redis répond lentement.', error: 'Redis ne répond pas.' },
  stockage: {
    ok: 'Espace disque suffisant pour les fichiers.',
    warning: 'Le disque des fichiers est presque plein.',
    error: 'Le disque des fichiers est plein ou inaccessible.',
  },
  courrier: {
    ok: 'Le courrier peut partir.',
    warning: 'Le courrier est incertain : des courriels attendent depuis plus d’une heure ou ont été abandonnés.',
    error: 'Le courrier ne peut pas partir.',
  },
}

/**
 * SMTP: the server accepts a connection (cached a minute); outbox: its folder is writable. Then
 * the mail queue (#services/mail_queue): mails given up after their last attempt, or waiting for
 * more than an hour, are a warning (a database that does not answer is the database's check).
 */
class MailTransportCheck extends BaseCheck {
  name = 'courrier'
  async run() {
    const transport = await this.#transport()
    const { default: mailQueue } = await import('#services/mail_queue')
    const queue = await mailQueue.counts().catch(() => null)
    if (queue && (queue.failed || queue.late)) {
      return Result.warning('queue').mergeMetaData({ transport, queue: { waiting: queue.waiting, failed: queue.failed } })
    }
    return Result.ok(transport).mergeMetaData({ transport })
  }

  async #transport(): Promise<'smtp' | 'outbox'> {
    const host = env.get('SMTP_HOST')
    if (!host) {
      const folder = dataPaths(app.appRoot, (name) => env.get(name)).outbox
      await mkdir(folder, { recursive: true })
      await access(folder, constants.W_OK)
      return 'outbox'
    }
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host, port: env.get('SMTP_PORT', 587), timeout: 3000 })
      socket.once('connect', () => socket.end(resolve))
      socket.once('timeout', () => socket.destroy(new Error('SMTP timeout')))
      socket.once('error', reject)
    })
    return 'smtp'
  }
}

/** A check that throws reports an error instead of failing the whole report. */
function guarded(check: BaseCheck, name: CheckName): BaseCheck {
  const run = check.run.bind(check)
  check.run = async () => {
    try {
      return await run()
    } catch (error) {
      return Result.failed((error as Error).message, error as Error)
    }
  }
  return check.as(name)
}

async function buildChecks() {
  const checks: BaseCheck[] = []
  const { DbCheck } = await import('@adonisjs/lucid/database')
  const { default: db } = await import('@adonisjs/lucid/services/db')
  checks.push(guarded(new DbCheck(db.connection()), 'base_de_donnees'))
  if (env.get('REDIS_HOST')) {
    const { RedisCheck } = await import('@adonisjs/redis')
    const { default: redis } = await import('@adonisjs/redis/services/main')
    checks.push(guarded(new RedisCheck(redis.connection()), 'redis'))
  }
  if (env.get('DRIVE_DISK', 'fs') === 'fs') {
    const storage = dataPaths(app.appRoot, (name) => env.get(name)).storage
    const disk = new DiskSpaceCheck().warnWhenExceeds(85).failWhenExceeds(95)
    disk.diskPath = storage
    const run = disk.run.bind(disk)
    disk.run = async () => (await mkdir(storage, { recursive: true }), run())
    checks.push(guarded(disk, 'stockage'))
  }
  checks.push(guarded(new MailTransportCheck().cacheFor('1 minute'), 'courrier'))
  return new HealthChecks().register(checks)
}

let healthChecks: Promise<HealthChecks> | undefined

export interface HealthReport {
  etat: 'ok' | 'avertissement' | 'erreur'
  verifie_le: string
  controles: Record<
    string,
    { etat: 'ok' | 'avertissement' | 'erreur'; message: string; utilise_pourcent?: number; transport?: string; en_file?: number; abandonnes?: number }
  >
}

const STATES = { ok: 'ok', warning: 'avertissement', error: 'erreur' } as const

/** Runs every check; `healthy` is false when one failed (a warning is still healthy). */
export async function checkHealth(): Promise<{ healthy: boolean; report: HealthReport }> {
  const result = await (await (healthChecks ??= buildChecks())).run()
  const report: HealthReport = { etat: STATES[result.status], verifie_le: result.finishedAt.toISOString(), controles: {} }
  for (const check of result.checks) {
    const name = check.name as CheckName
    if (check.status === 'error') logger.warn({ check: name, reason: check.message }, `Contrôle de santé en échec : ${name}`)
    const meta = check.meta as { sizeInPercentage?: { used?: number }; transport?: string; queue?: { waiting: number; failed: number } } | undefined
    report.controles[name] = {
      etat: STATES[check.status],
      message: SENTENCES[name][check.status],
      ...(meta?.sizeInPercentage?.used !== undefined && { utilise_pourcent: meta.sizeInPercentage.used }),
      ...(meta?.transport && { transport: meta.transport }),
      ...(meta?.queue && { en_file: meta.queue.waiting, abandonnes: meta.queue.failed }),
    }
  }
  return { healthy: result.isHealthy, report }
}
