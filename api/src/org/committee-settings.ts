import {
  DEFAULT_AUTO_CLOSE_DAYS,
  DEFAULT_SLA_HOURS,
  SLA_CLASSES,
  type CommitteeSettingsBody,
  type CommitteeSettingsView,
  type FieldError,
} from '@mashangjian/shared'
import type { CommitteeSettings } from '../db/schema'
import { handoffSettingsOf } from '../handoffs/handoff-rules'

/** Deadline and hand-off (交办) settings as stored (only what the committee chose) and as in force (defaults filled in). */
export function settingsView(committeeId: string, settings: CommitteeSettings): CommitteeSettingsView {
  const slaHours = Object.fromEntries(
    SLA_CLASSES.map((c) => [c, settings.slaHours?.[c] ?? DEFAULT_SLA_HOURS[c]]),
  ) as CommitteeSettingsView['effective']['slaHours']
  return {
    committeeId,
    overrides: { slaHours: settings.slaHours ?? {}, autoCloseDays: settings.autoCloseDays ?? null, handoff: { ...settings.handoff } },
    effective: { slaHours, autoCloseDays: settings.autoCloseDays ?? DEFAULT_AUTO_CLOSE_DAYS, handoff: handoffSettingsOf(settings) },
  }
}

/**
 * Checks what the schema cannot (a case must be resolvable after it is accepted) and returns what to store.
 * A PUT replaces the settings it covers: a key left out (or null) goes back to its default, `handoff` included
 * (left out: 5 working days, the resolve clock not paused); inside `handoff` likewise per key.
 */
export function settingsFromBody(body: CommitteeSettingsBody): { settings: CommitteeSettings } | { errors: FieldError[] } {
  const errors: FieldError[] = []
  const slaHours: NonNullable<CommitteeSettings['slaHours']> = {}
  for (const c of SLA_CLASSES) {
    const hours = body.slaHours?.[c]
    if (!hours) continue
    if (hours.resolve < hours.accept) errors.push({ field: `body.slaHours.${c}.resolve`, message: 'must be at least the accept deadline' })
    slaHours[c] = { accept: hours.accept, resolve: hours.resolve }
  }
  if (errors.length > 0) return { errors }
  const settings: CommitteeSettings = {}
  if (Object.keys(slaHours).length > 0) settings.slaHours = slaHours
  if (body.autoCloseDays != null) settings.autoCloseDays = body.autoCloseDays
  if (body.handoff) {
    const handoff: NonNullable<CommitteeSettings['handoff']> = {}
    if (body.handoff.replyDays !== undefined) handoff.replyDays = body.handoff.replyDays
    if (body.handoff.pauseResolveClock !== undefined) handoff.pauseResolveClock = body.handoff.pauseResolveClock
    if (Object.keys(handoff).length > 0) settings.handoff = handoff
  }
  return { settings }
}
