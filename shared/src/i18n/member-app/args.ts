import type { MemberKey } from './zh-CN'

/**
 * The member-app messages read as functions, with their arguments in call order: `lastSynced: ['t']` makes
 * `t.lastSynced(when)` fill `{t}`. Every other key is read as text (see the head of ./zh-CN.ts).
 */
export const MEMBER_ARGS = {
  updateWithPending: ['n'],
  lastSynced: ['t'],
  pendingCount: ['n'],
  attentionCount: ['n'],
  signOutPending: ['n'],
  lockedUntil: ['min'],
  throttled: ['s'],
  dueIn: ['s'],
  overdueBy: ['s'],
  days: ['n'],
  hours: ['n'],
  minutes: ['n'],
  contactVia: ['method'],
  acceptCommit: ['when'],
  acceptCommitOverdue: ['when'],
  transferOfflineList: ['when'],
  openCases: ['n'],
  handoffDue: ['when'],
  handoffAnsweredBy: ['who', 'when'],
  handoffBy: ['who'],
  handoffPhoto: ['n'],
  caseNowIs: ['status', 'who'],
  thisYear: ['y'],
  notifySmsTo: ['phone'],
  categoryFallbackTitle: ['language'],
  fieldAtLeast: ['n'],
  fieldAtMost: ['n'],
  // contacts (issue 15)
  contactsYear: ['count', 'target'],
  contactCaseMade: ['no'],
  contactIsCase: ['no'],
  // activities (issue 15)
  activityPhotosChosen: ['n'],
  activityRejectedBecause: ['r'],
} as const satisfies Partial<Record<MemberKey, readonly string[]>>
