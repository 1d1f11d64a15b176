import { createHash, randomBytes } from 'node:crypto'

/** Opaque refresh token: 256 random bits. Only its SHA-256 is stored. */
export const newRefreshToken = () => randomBytes(32).toString('base64url')

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')
