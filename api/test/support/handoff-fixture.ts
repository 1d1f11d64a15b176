import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { DEFAULT_HANDOFF_REPLY_DAYS, handoffDueAt } from '@mashangjian/shared'
import { cases, department, handoff } from '../../src/db/schema'
import { createPiiCipher } from '../../src/privacy/pii-cipher'
import { newHandoffSecret } from '../../src/handoffs/handoff-secret'
import type { TestApp } from './test-app'

/** A department of a committee; names are unique per committee, so each call makes its own. */
export async function createDepartment(t: TestApp, committeeId: string, name = `住建局${randomUUID().slice(0, 6)}`) {
  const [row] = await t.database.db.insert(department).values({ committeeId, name, kind: 'bureau' }).returning()
  return row!
}

/**
 * A hand-off of a case as the `handoff` case action leaves it (status sent, due in the default working days,
 * asked by the case's member): answers its id, its department and the secret of its link.
 */
export async function handOff(t: TestApp, caseId: string, opts: { question?: string; departmentId?: string; dueAt?: Date } = {}) {
  const db = t.database.db
  const [c] = await db.select({ committeeId: cases.committeeId, memberId: cases.memberId }).from(cases).where(eq(cases.id, caseId))
  const departmentId = opts.departmentId ?? (await createDepartment(t, c!.committeeId)).id
  const link = newHandoffSecret(createPiiCipher(t.config.secrets.piiKey))
  const now = t.clock.now()
  const [row] = await db
    .insert(handoff)
    .values({
      caseId,
      committeeId: c!.committeeId,
      departmentId,
      question: opts.question ?? '请核实并答复处理意见',
      opId: randomUUID(),
      createdByMemberId: c!.memberId,
      sentAt: now,
      dueAt: opts.dueAt ?? handoffDueAt(now, DEFAULT_HANDOFF_REPLY_DAYS),
      secretHash: link.secretHash,
      secretEnc: link.secretEnc,
    })
    .returning()
  return { id: row!.id, departmentId, secret: link.secret }
}
