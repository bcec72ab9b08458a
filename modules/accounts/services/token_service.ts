import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import AccountToken, { type TokenPurpose } from '#modules/accounts/models/account_token'
import { dbTime } from '#core/db_time'

export type { TokenPurpose }

/** 32 random bytes (256 bits), URL-safe: what the link carries. Only its SHA-256 is stored. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url')
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** Constant-time comparison of two hex digests. */
export function digestsMatch(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex')
  const right = Buffer.from(b, 'hex')
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right)
}

export type TokenLookup =
  | { status: 'valid'; token: AccountToken }
  | { status: 'expired'; token: AccountToken }
  | { status: 'used'; token: AccountToken }
  | { status: 'unknown' }

/**
 * Single-use tokens of the links sent by mail (activation, password reset, new email).
 * A fresh token replaces the unused ones of the same purpose: only the last link works.
 */
class TokenService {
  async issue(
    userId: number,
    purpose: TokenPurpose,
    lifetime: { hours?: number; minutes?: number },
    options: { payload?: string | null; client?: TransactionClientContract } = {}
  ): Promise<{ token: string; expiresAt: DateTime; record: AccountToken }> {
    const token = generateToken()
    const expiresAt = DateTime.utc().plus(lifetime)
    await this.revokeAll(userId, purpose, options.client)
    const record = await AccountToken.create(
      { userId, purpose, tokenHash: hashToken(token), payload: options.payload ?? null, expiresAt, usedAt: null },
      { client: options.client }
    )
    return { token, expiresAt, record }
  }

  async find(token: string, purpose: TokenPurpose, client?: TransactionClientContract): Promise<TokenLookup> {
    if (!token || token.length > 100) return { status: 'unknown' }
    const digest = hashToken(token)
    const row = await AccountToken.query({ client }).where({ tokenHash: digest, purpose }).first()
    if (!row || !digestsMatch(row.tokenHash, digest)) return { status: 'unknown' }
    if (row.usedAt) return { status: 'used', token: row }
    if (row.expiresAt <= DateTime.utc()) return { status: 'expired', token: row }
    return { status: 'valid', token: row }
  }

  /** Marks the token used; false when another request used it first. */
  async markUsed(token: AccountToken, client?: TransactionClientContract): Promise<boolean> {
    const affected = await AccountToken.query({ client })
      .where('id', token.id)
      .whereNull('usedAt')
      .update({ used_at: dbTime(DateTime.utc()) })
    return Number(Array.isArray(affected) ? affected[0] : affected) === 1
  }

  async revokeAll(userId: number, purpose: TokenPurpose, client?: TransactionClientContract) {
    await AccountToken.query({ client }).where({ userId, purpose }).whereNull('usedAt').delete()
  }
}

const tokens = new TokenService()
export default tokens
