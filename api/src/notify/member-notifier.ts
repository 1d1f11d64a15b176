import type { FastifyBaseLogger } from 'fastify'

export type MemberNoticeKind = 'assigned' | 'accept_reminder' | 'resolve_reminder' | 'overdue' | 'escalated' | 'chased' | 'digest'

/** Something a member (or a station's admins) should know now: a new case, a deadline, a daily summary. */
export interface MemberNotice {
  kind: MemberNoticeKind
  /** The member told; null with `stationId` set: the station's admins (escalations). */
  memberId: string | null
  stationId?: string | null
  caseId?: string
  publicNo?: string
  text: string
}

/** Where member notices go: the log always, and Web Push once a member has subscribed. */
export interface MemberNotifier {
  notify(notice: MemberNotice): Promise<void>
}

export function logMemberNotifier(log: FastifyBaseLogger): MemberNotifier {
  return {
    async notify(notice) {
      log.info({ notice }, 'member notification')
    },
  }
}

/** Sends to every notifier; one failing never stops the others nor the job that sent it. */
export function fanOut(notifiers: MemberNotifier[], log: FastifyBaseLogger): MemberNotifier {
  return {
    async notify(notice) {
      await Promise.all(notifiers.map((n) => n.notify(notice).catch((err) => log.warn({ err, kind: notice.kind }, 'member notification failed'))))
    },
  }
}
