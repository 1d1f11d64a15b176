import type { CaseChangeListener } from '../cases/case-actions-service'
import type { MemberNotifier } from './member-notifier'

export interface Assignment { memberId: string; caseId: string; publicNo: string }

/** "New case for you" (push and log), whether routing, a station admin or a transfer made the assignment. */
export function notifyAssigned(notifier: MemberNotifier, a: Assignment): void {
  void notifier.notify({ kind: 'assigned', memberId: a.memberId, caseId: a.caseId, publicNo: a.publicNo, text: `新派单 ${a.publicNo}，请及时接单` })
}

/** Tells the member a case has just become theirs (assign, transfer); their own actions never notify them. */
export function memberUpdates(notifier: MemberNotifier): CaseChangeListener {
  return ({ before, after, actor }) => {
    if (after.memberId && after.memberId !== before.memberId && after.memberId !== actor.memberId) {
      notifyAssigned(notifier, { memberId: after.memberId, caseId: after.id, publicNo: after.publicNo })
    }
  }
}
