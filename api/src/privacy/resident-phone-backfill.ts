import { and, asc, gt, isNotNull, isNull, sql } from 'drizzle-orm'
import type { Db } from '../db/database'
import { caseFollower, cases } from '../db/schema'
import { normalizeMainlandMobile } from '../public/submission-rules'
import type { PiiCipher } from './pii-cipher'
import type { PhoneLookup } from './phone-lookup'

const BATCH = 500

/**
 * Rows written before the lookup hash existed (migration 0006, or the demo seed) have a ciphertext but no hash,
 * so the desk's phone search would miss them. Run at start-up after migrate: decrypts and hashes in batches
 * (keyset by id, so a row that cannot be decrypted is skipped rather than read again forever); once done it is
 * one empty index read per table. Several processes starting at once are harmless: an update only fills a hash
 * that is still null, and the version is untouched, so the sync feed sees no change.
 */
export async function backfillResidentPhoneHashes(
  db: Db,
  deps: { cipher: PiiCipher; residentPhones: PhoneLookup },
  batch = BATCH,
): Promise<{ cases: number; followers: number; skipped: number }> {
  const done = { cases: 0, followers: 0, skipped: 0 }
  const hashOf = (enc: string): string | null => {
    try {
      const plain = deps.cipher.decrypt(enc)
      // Stored phones were normalised on the way in; a search normalises its input the same way.
      return deps.residentPhones.hash(normalizeMainlandMobile(plain) ?? plain)
    } catch {
      done.skipped++
      return null
    }
  }

  for (const [table, key] of [
    [cases, 'cases'],
    [caseFollower, 'followers'],
  ] as const) {
    let after: string | null = null
    for (;;) {
      const rows: { id: string; enc: string | null }[] = await db
        .select({ id: table.id, enc: table.residentPhoneEnc })
        .from(table)
        .where(and(isNull(table.residentPhoneHash), isNotNull(table.residentPhoneEnc), after ? gt(table.id, after) : undefined))
        .orderBy(asc(table.id))
        .limit(batch)
      if (rows.length === 0) break
      after = rows[rows.length - 1]!.id
      const pairs = rows.flatMap((r) => {
        const hash = r.enc ? hashOf(r.enc) : null
        return hash ? [sql`(${r.id}::uuid, ${hash}::text)`] : []
      })
      if (pairs.length > 0) {
        const name = sql.identifier(key === 'cases' ? 'cases' : 'case_follower')
        await db.execute(sql`
          update ${name} t set resident_phone_hash = v.hash
          from (values ${sql.join(pairs, sql`, `)}) as v(id, hash)
          where t.id = v.id and t.resident_phone_hash is null`)
        done[key] += pairs.length
      }
      if (rows.length < batch) break
    }
  }
  return done
}
