import {
  decide, isOverdue, INBOX_DONE_STATUSES, RESOLVE_CLOCK_STATUSES, INBOX_NEW_STATUSES, INBOX_WORKING_STATUSES,
  type CaseStatus, type CaseSummary,
} from '@mashangjian/shared'
import type { OutboxEntry } from './db'

export const INBOX_TABS = ['new', 'open', 'overdue', 'closed'] as const
export type InboxTab = (typeof INBOX_TABS)[number]

/** A case as the member should see it: the server's state with their pending actions laid over it. */
export interface CaseView {
  /** Projected: status and stamps after the pending actions, by the same state machine the server runs. */
  case: CaseSummary
  /** The server's last word. */
  server: CaseSummary
  pending: OutboxEntry[]
  /** Refused by the server; waiting for the member to re-apply or drop. */
  attention: OutboxEntry[]
}

/** Lays pending actions over a case, in order; an action the machine would refuse is left out of the projection. */
export function project(server: CaseSummary, entries: OutboxEntry[]): CaseView {
  const mine = entries.filter((e) => e.caseId === server.id).sort((a, b) => a.seq! - b.seq!)
  const pending = mine.filter((e) => e.state === 'pending')
  let c = server
  for (const e of pending) {
    const d = decide({ status: c.status, action: e.action.type, role: 'assignee' })
    if (!d.ok) continue
    const at = e.action.occurredAt ?? new Date(e.createdAt).toISOString()
    c = { ...c, status: d.to }
    if (e.action.type === 'accept') c = { ...c, acceptedAt: at }
    if (e.action.type === 'resolve') c = { ...c, resolvedAt: at }
    // 交办: a department has it now (the server says so once it lands). A withdrawal leaves the mark as the server
    // last said: another hand-off of the case may still be open.
    if (e.action.type === 'handoff') c = { ...c, awaitingDepartment: true }
  }
  return { case: c, server, pending, attention: mine.filter((e) => e.state !== 'pending') }
}

const among = (list: readonly CaseStatus[], s: CaseStatus) => list.includes(s)

/** The tabs a case shows under; `overdue` cuts across new and open, as on the server. */
export function tabsOf(c: CaseSummary, now: Date): InboxTab[] {
  const tabs: InboxTab[] = []
  if (among(INBOX_NEW_STATUSES, c.status)) tabs.push('new')
  if (among(INBOX_WORKING_STATUSES, c.status)) tabs.push('open')
  if (among(INBOX_DONE_STATUSES, c.status)) tabs.push('closed')
  if (isOverdue(c, now)) tabs.push('overdue')
  return tabs
}

/** The deadline that runs now, for the row's countdown: accepting while assigned, resolving while worked on. */
export function runningDeadline(c: CaseSummary): { kind: 'accept' | 'resolve'; at: string } | null {
  if (c.status === 'assigned' && c.acceptDueAt) return { kind: 'accept', at: c.acceptDueAt }
  if ((RESOLVE_CLOCK_STATUSES as readonly CaseStatus[]).includes(c.status) && c.resolveDueAt) return { kind: 'resolve', at: c.resolveDueAt }
  return null
}
