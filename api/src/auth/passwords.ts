import { hash, verify } from '@node-rs/argon2'

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
// `algorithm: 2` is Algorithm.Argon2id; the package exports it as a const enum, which isolated modules cannot read.
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 }

export const hashPassword = (password: string) => hash(password, OPTIONS)

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

/**
 * Verified against when the username does not exist, so that answer takes as long as a wrong password
 * and response time does not reveal which usernames exist.
 */
let dummyHash: Promise<string> | undefined
export function burnPasswordCheck(password: string): Promise<boolean> {
  dummyHash ??= hashPassword('not-a-real-password')
  return dummyHash.then((h) => verifyPassword(h, password))
}
