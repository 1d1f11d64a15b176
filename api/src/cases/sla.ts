import { DEFAULT_SLA_HOURS, type SlaClass } from '@mashangjian/shared'
import type { CommitteeSettings } from '../db/schema'

const HOUR = 3_600_000

/** Accept and resolve deadlines for a case received at `from`, using the committee's overrides if any. */
export function deadlinesFor(slaClass: SlaClass, from: Date, settings: CommitteeSettings = {}) {
  const hours = settings.slaHours?.[slaClass] ?? DEFAULT_SLA_HOURS[slaClass]
  return {
    acceptDueAt: new Date(from.getTime() + hours.accept * HOUR),
    resolveDueAt: new Date(from.getTime() + hours.resolve * HOUR),
  }
}
