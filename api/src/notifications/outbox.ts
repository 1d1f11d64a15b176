import type { RecipientKind, NotifyMedium, TemplateKey } from '@mashangjian/shared'
import type { DbOrTx } from '../db/database'
import { notification } from '../db/schema'

/** One notice to write: the event's transaction decides who and by which medium; delivery decides how. */
export interface Notice {
  committeeId: string
  caseId: string | null
  templateKey: TemplateKey
  recipientKind: RecipientKind
  recipientId: string
  followerId?: string | null
  channel: NotifyMedium
  channelId?: string | null
  params: Record<string, string>
  urgent?: boolean
  /** The event this notice comes from (an opId, `case:<id>:created`, a digest's day); with the recipient and medium it is the idempotency key. */
  eventKey: string
  /** Held until then (members' quiet hours); default: now. */
  notBefore?: Date
}

export const idempotencyKeyOf = (n: Notice) =>
  [n.eventKey, n.templateKey, n.recipientKind, n.followerId ?? n.recipientId, n.channel, n.channelId ?? ''].join(':')

/**
 * Writes notices in the caller's transaction: they commit or roll back with the event that caused them. The
 * same notice written twice (a retried transaction, a replayed job) is kept once.
 */
export async function enqueue(tx: DbOrTx, notices: Notice[], now: Date): Promise<void> {
  if (notices.length === 0) return
  await tx
    .insert(notification)
    .values(
      notices.map((n) => ({
        committeeId: n.committeeId,
        caseId: n.caseId,
        templateKey: n.templateKey,
        recipientKind: n.recipientKind,
        recipientId: n.recipientId,
        followerId: n.followerId ?? null,
        channel: n.channel,
        channelId: n.channelId ?? null,
        params: n.params,
        urgent: n.urgent ?? false,
        idempotencyKey: idempotencyKeyOf(n),
        nextAttemptAt: n.notBefore ?? now,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoNothing({ target: notification.idempotencyKey })
}
