import { createHash, randomBytes } from 'node:crypto'
import { and, eq, lt } from 'drizzle-orm'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { DbOrTx } from '../db/database'
import { caseFollower, cases, submissionKey } from '../db/schema'

/**
 * Idempotent public submissions (issue 18). A browser's form post carries a random cookie set by the scan page
 * (the page itself is cached per code, so it cannot hold a per-visit hidden field); a script sends an
 * `Idempotency-Key` header. The key stored is a hash of that value AND of what was submitted: a re-sent post
 * (the answer was lost to a timeout or a crash after commit) finds its case, while a different text from the
 * same browser, or a cookie shared by accident (a misbehaving proxy), never maps to someone else's case.
 */
export const SUBMIT_COOKIE = 'msj_submit'
/** A retry comes within minutes; a day covers a phone that lost signal overnight. Older keys are replaced. */
export const SUBMISSION_KEY_TTL_MS = 24 * 3_600_000
const VALUE = /^[A-Za-z0-9_-]{16,128}$/
/** A client's own key: at least 128 bits' worth of characters (a UUID qualifies). */
const HEADER_VALUE = /^[A-Za-z0-9_-]{22,128}$/

const cookieOptions = { path: '/', maxAge: 86_400, sameSite: 'lax' as const, httpOnly: true }

/**
 * 128 random bits for a new cookie, cut from a pooled block: one randomBytes call per 256 cookies instead of
 * one per scan (the scan page hands a cookie to every new visitor; issue 17). Same CSPRNG, each byte used once.
 */
const POOL_BYTES = 16 * 256
let pool = Buffer.alloc(0)
let offset = 0
function freshValue(): string {
  if (offset + 16 > pool.length) {
    pool = randomBytes(POOL_BYTES)
    offset = 0
  }
  offset += 16
  return pool.toString('base64url', offset - 16, offset)
}

/** The scan page: give this browser a submission cookie unless it has one (rotated after each stored submission). */
export function ensureSubmitCookie(request: FastifyRequest, reply: FastifyReply): void {
  if (!VALUE.test(request.cookies?.[SUBMIT_COOKIE] ?? '')) reply.setCookie(SUBMIT_COOKIE, freshValue(), cookieOptions)
}

/** After a submission was stored: the next one from this browser is a new submission, not a retry. */
export function rotateSubmitCookie(reply: FastifyReply): void {
  reply.setCookie(SUBMIT_COOKIE, freshValue(), cookieOptions)
}

/** The request's idempotency value (header first, then the cookie), or null when it has none usable. */
export function idempotencyValue(request: FastifyRequest): string | null {
  const header = request.headers['idempotency-key']
  // Bound to the caller's address too: an app that reuses one key for two residents typing the same words must
  // not hand the second one the first one's tracking link.
  if (typeof header === 'string' && HEADER_VALUE.test(header)) return `h:${request.ip}:${header}`
  const cookie = request.cookies?.[SUBMIT_COOKIE]
  return cookie && VALUE.test(cookie) ? `c:${cookie}` : null
}

/** The stored key: the client's value bound to the code and the content of the submission. */
export function submissionKeyHash(value: string, parts: { code: string; description: string; phone: string | null; joinCase: string | null }): string {
  return createHash('sha256')
    .update([value, parts.code.toUpperCase(), parts.description, parts.phone ?? '', parts.joinCase?.toUpperCase() ?? ''].join('\u0000'))
    .digest('base64url')
}

export interface StoredSubmission {
  caseId: string
  followerId: string | null
  publicNo: string
  secretEnc: string
}

export function createSubmissionKeysRepo(db: DbOrTx) {
  return {
    /**
     * What a live key already produced: the case, the follower for a join, and the tracking secret (encrypted)
     * the first answer carried — a replay must hand back the same link.
     */
    async find(keyHash: string, now: Date): Promise<StoredSubmission | undefined> {
      const [row] = await db
        .select({
          caseId: submissionKey.caseId,
          followerId: submissionKey.followerId,
          createdAt: submissionKey.createdAt,
          publicNo: cases.publicNo,
          caseSecretEnc: cases.trackingSecretEnc,
          followerSecretEnc: caseFollower.trackingSecretEnc,
        })
        .from(submissionKey)
        .innerJoin(cases, eq(cases.id, submissionKey.caseId))
        .leftJoin(caseFollower, eq(caseFollower.id, submissionKey.followerId))
        .where(eq(submissionKey.keyHash, keyHash))
      if (!row || now.getTime() - row.createdAt.getTime() >= SUBMISSION_KEY_TTL_MS) return undefined
      const secretEnc = row.followerId ? row.followerSecretEnc : row.caseSecretEnc
      return secretEnc ? { caseId: row.caseId, followerId: row.followerId, publicNo: row.publicNo, secretEnc } : undefined
    },

    /**
     * Inside the submission's transaction: an expired row with the same hash makes way; a live one makes the
     * insert fail with a unique violation, rolling the duplicate back (the caller then answers with the first).
     */
    async record(tx: DbOrTx, keyHash: string, target: { caseId: string; followerId?: string | null }, now: Date): Promise<void> {
      await tx
        .delete(submissionKey)
        .where(and(eq(submissionKey.keyHash, keyHash), lt(submissionKey.createdAt, new Date(now.getTime() - SUBMISSION_KEY_TTL_MS))))
      await tx.insert(submissionKey).values({ keyHash, caseId: target.caseId, followerId: target.followerId ?? null, createdAt: now })
    },
  }
}
export type SubmissionKeysRepo = ReturnType<typeof createSubmissionKeysRepo>
