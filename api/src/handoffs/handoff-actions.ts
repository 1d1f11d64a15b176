import { randomUUID } from 'node:crypto'
import { decideHandoff, RESOLVE_CLOCK_STATUSES, type CaseActionBody, type CaseRole, type CaseStatus } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import type { DbOrTx } from '../db/database'
import { AppError, notFound, validationFailed } from '../errors/app-error'
import type { CaseRow, NewCase } from '../cases/cases-repo'
import type { NoticePlanner } from '../notifications/notice-plan'
import type { PiiCipher } from '../privacy/pii-cipher'
import { newHandoffSecret } from './handoff-secret'
import { handoffDeadline, handoffRoleOf, handoffSettingsOf } from './handoff-rules'
import type { HandoffsRepo } from './handoffs-repo'
import { pausePatch, resumePatch } from './resolve-pause'

/** What a hand-off action adds to the case action (case-effects.ts): the hand-off named in its event, and the clock patch. */
export interface HandoffEffect {
  id: string
  departmentId: string
  departmentName: string
  /** The reply deadline (handoff only). */
  dueAt?: Date
  /** Pause or resume the resolve clock (resolve-pause.ts). */
  patch: Partial<NewCase>
}

/** A checked hand-off action: its effect, and the hand-off row's own change, written in the action's transaction. */
export interface HandoffPlan {
  effect: HandoffEffect
  write(tx: DbOrTx, c: CaseRow): Promise<void>
}

export interface HandoffActionsDeps {
  repo: HandoffsRepo
  cipher: PiiCipher
  notices?: NoticePlanner
}

/**
 * The case side of 交办 (issue 14) inside the case action path (case-actions-service.ts): `handoff` creates the
 * hand-off (department of the case's committee and active, deadline checked) and tells the department;
 * `withdraw_handoff` takes an open one back. Both may stop or restart the resolve clock.
 */
export function createHandoffActions({ repo, cipher, notices }: HandoffActionsDeps) {
  async function handoff(actor: Actor, row: CaseRow, body: Extract<CaseActionBody, { type: 'handoff' }>, to: CaseStatus, now: Date): Promise<HandoffPlan> {
    const d = await repo.department(body.departmentId)
    if (!d || d.committeeId !== row.committeeId) throw notFound('department')
    if (!d.active) throw new AppError('CONFLICT', `${d.name} is deactivated and takes no hand-offs; choose another department.`)
    const settings = handoffSettingsOf(await repo.committeeSettings(row.committeeId))
    const deadline = handoffDeadline(body.dueAt, now, settings.replyDays)
    if ('error' in deadline) throw validationFailed([{ field: 'body.dueAt', message: deadline.error, keyword: 'format' }])
    // Only a running resolve clock stops (a case still waiting to be accepted has none running yet).
    const runs = (RESOLVE_CLOCK_STATUSES as readonly CaseStatus[]).includes(to) && row.resolveDueAt !== null
    const effect: HandoffEffect = {
      id: randomUUID(),
      departmentId: d.id,
      departmentName: d.name,
      dueAt: deadline.dueAt,
      patch: runs ? pausePatch(row, settings.pauseResolveClock, now) : {},
    }
    return {
      effect,
      async write(tx, c) {
        const { secretHash, secretEnc } = newHandoffSecret(cipher)
        await repo.insert(tx, {
          id: effect.id,
          caseId: row.id,
          committeeId: row.committeeId,
          departmentId: d.id,
          question: body.question,
          status: 'sent',
          opId: body.opId,
          createdByUserId: actor.userId,
          createdByMemberId: actor.role === 'member' ? actor.memberId : null,
          sentAt: now,
          dueAt: deadline.dueAt,
          secretHash,
          secretEnc,
          createdAt: now,
          updatedAt: now,
        })
        // The action's own key: the webhook `changed` wrote for this op is the same notice, kept once.
        await notices?.handoffSent(tx, c, { id: effect.id, departmentId: d.id, departmentName: d.name, dueAt: deadline.dueAt }, `op:${body.opId}`, now)
      },
    }
  }

  async function withdraw(row: CaseRow, role: CaseRole, body: Extract<CaseActionBody, { type: 'withdraw_handoff' }>, now: Date): Promise<HandoffPlan> {
    const h = await repo.find(body.handoffId)
    if (!h || h.caseId !== row.id) throw notFound('hand-off')
    if (!decideHandoff(h.status, 'withdraw', handoffRoleOf(role)).ok) {
      throw new AppError('INVALID_TRANSITION', `This hand-off is ${h.status}; only a hand-off still waiting for the department can be withdrawn.`)
    }
    const openLeft = await repo.openCount(row.id, h.id)
    return {
      effect: { id: h.id, departmentId: h.departmentId, departmentName: h.departmentName, patch: resumePatch(row, openLeft, now) },
      async write(tx) {
        // The department replied between our read and this write: there is nothing left to withdraw.
        if (!(await repo.close(tx, h.id, 'withdrawn', now)))
          throw new AppError('INVALID_TRANSITION', 'The department replied meanwhile; this hand-off can no longer be withdrawn.')
      },
    }
  }

  return {
    /** The checked hand-off part of an action, or undefined for the other actions. Throws 404/409/400 before anything is written. */
    async plan(actor: Actor, row: CaseRow, role: CaseRole, body: CaseActionBody, to: CaseStatus, now: Date): Promise<HandoffPlan | undefined> {
      if (body.type === 'handoff') return handoff(actor, row, body, to, now)
      if (body.type === 'withdraw_handoff') return withdraw(row, role, body, now)
      return undefined
    },
  }
}
export type HandoffActions = ReturnType<typeof createHandoffActions>
