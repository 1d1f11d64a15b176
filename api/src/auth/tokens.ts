import { createHash, createHmac, randomBytes } from 'node:crypto'

/** Opaque refresh token: 256 random bits. Only its SHA-256 is stored. */
export const newRefreshToken = () => randomBytes(32).toString('base64url')

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

/**
 * The refresh token that replaces `token`: HMAC-SHA-256 under a server key, so a retried refresh (its answer
 * lost) can be given the same successor without the successor ever being stored in clear. Unpredictable without
 * the key; a login starts each chain with a random token.
 */
export const successorRefreshToken = (key: string, token: string) => createHmac('sha256', key).update(token).digest('base64url')

/** The successor key, derived from the JWT secret so that no new secret has to be configured. */
export const refreshSuccessorKey = (jwtSecret: string) => createHmac('sha256', jwtSecret).update('mashangjian refresh-token successor v1').digest('hex')
