import { addDays, weekdayOf, weekdayOrdinal, type DutyRuleKind } from '@mashangjian/shared'

/** What expansion needs of a rule; days YYYY-MM-DD, times HH:MM, all Beijing. */
export interface ExpandableRule {
  id: string
  kind: DutyRuleKind
  weekdays: number[]
  ordinals: number[]
  dates: string[]
  startsAt: string
  endsAt: string
  validFrom: string | null
  validUntil: string | null
  memberIds: string[]
}

/** A cancelled day: for the whole station when ruleId is null. */
export interface ExpandableException {
  day: string
  ruleId: string | null
}

export interface ExpandedShift {
  ruleId: string
  day: string
  startsAt: string
  endsAt: string
  memberId: string
}

/** Whether a rule (ignoring exceptions) falls on `day`. */
export function ruleFallsOn(rule: ExpandableRule, day: string): boolean {
  if (rule.validFrom && day < rule.validFrom) return false
  if (rule.validUntil && day > rule.validUntil) return false
  switch (rule.kind) {
    case 'weekly':
      return rule.weekdays.includes(weekdayOf(day))
    case 'monthly': {
      if (!rule.weekdays.includes(weekdayOf(day))) return false
      const { nth, last } = weekdayOrdinal(day)
      return rule.ordinals.includes(nth) || (last && rule.ordinals.includes(-1))
    }
    case 'dates':
      return rule.dates.includes(day)
  }
}

/**
 * The shifts the rules give from `from` to `to` (both included, Beijing days), one per member and day, minus
 * cancelled days. Pure, so it is tested against a hand-written table of dates.
 */
export function expandRules(rules: ExpandableRule[], exceptions: ExpandableException[], from: string, to: string): ExpandedShift[] {
  const closed = new Set(exceptions.filter((e) => e.ruleId === null).map((e) => e.day))
  const skipped = new Set(exceptions.filter((e) => e.ruleId !== null).map((e) => `${e.ruleId}|${e.day}`))
  const out: ExpandedShift[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) {
    if (closed.has(day)) continue
    for (const rule of rules) {
      if (skipped.has(`${rule.id}|${day}`) || !ruleFallsOn(rule, day)) continue
      for (const memberId of rule.memberIds) out.push({ ruleId: rule.id, day, startsAt: rule.startsAt, endsAt: rule.endsAt, memberId })
    }
  }
  return out
}
