import type { CaseChangeListener } from '../cases/case-actions-service'
import type { MemberNotifier } from './member-notifier'

export interface Assignment { memberId: string; caseId: string; publicNo: string }

/** "New case for you" (push and log), whether routing, a station admin or a transfer made the assignment. */
export function notifyAssigned(notifier: MemberNotifier, a: Assignment): void {
  void notifier.notify({ kind: 'assigned', memberId: a.memberId, caseId: a.caseId, publicNo: a.publicNo, text: `新派单 ${a.publicNo}，请及时接单` })
}

/**
 * Tells the member a case has just become theirs (assign, transfer), and passes on an admin's 督办 (chase) to
 * whoever holds the case: its member, or the station's admins while it waits in the station queue. A member's
 * own actions never notify them.
 */
export function memberUpdates(notifier: MemberNotifier): CaseChangeListener {
  return ({ before, after, action, actor }) => {
    if (action.type === 'chase') {
      const text = `督办：请尽快办理 ${after.publicNo}${action.body ? `。${action.body}` : ''}`
      if (after.memberId) void notifier.notify({ kind: 'chased', memberId: after.memberId, caseId: after.id, publicNo: after.publicNo, text })
      else if (after.stationId) void notifier.notify({ kind: 'chased', memberId: null, stationId: after.stationId, caseId: after.id, publicNo: after.publicNo, text })
      return
    }
    if (after.memberId && after.memberId !== before.memberId && after.memberId !== actor.memberId) {
      notifyAssigned(notifier, { memberId: after.memberId, caseId: after.id, publicNo: after.publicNo })
    }
  }
}
