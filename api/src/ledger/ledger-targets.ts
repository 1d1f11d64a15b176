import {
  DEFAULT_LEDGER_PRESET,
  LEDGER_MEASURES,
  LEDGER_PRESETS,
  type ActivityKind,
  type LedgerCounts,
  type LedgerMeasure,
  type LedgerTargetResult,
  type LedgerTargetSettings,
  type LedgerTargetsBody,
} from '@mashangjian/shared'
import type { CommitteeSettings } from '../db/schema'
import { validationFailed } from '../errors/app-error'

/**
 * Ledger rules free of I/O: which targets apply to a committee, how raw counts become ledger measures, and
 * how a member's counts compare with the targets.
 */

/** The activity kind behind each activity measure; opinion reports also count those submitted in the app. */
export const ACTIVITY_MEASURE: Record<ActivityKind, LedgerMeasure> = {
  meeting: 'meetings',
  reception_day: 'receptionDays',
  visit: 'visits',
  proposal: 'proposals',
  opinion_report: 'opinionReports',
  research: 'research',
  training: 'training',
  other: 'otherActivities',
}

export const zeroCounts = (): LedgerCounts => Object.fromEntries(LEDGER_MEASURES.map((m) => [m, 0])) as LedgerCounts

export interface RawLedgerCounts {
  received: number
  accepted: number
  resolved: number
  satisfied: number
  contacts: number
  /** 界别群众 recorded in the contacts registry (issue 15), by the day met. */
  sectorContacts: number
  /** Hand-offs (交办) the member made, by the day sent. */
  handoffs: number
  activities: Partial<Record<ActivityKind, number>>
  reportsSubmitted: number
}

export function ledgerCounts(raw: RawLedgerCounts): LedgerCounts {
  const counts = zeroCounts()
  counts.casesReceived = raw.received
  counts.casesAccepted = raw.accepted
  counts.casesResolved = raw.resolved
  counts.satisfiedRatings = raw.satisfied
  counts.contacts = raw.contacts
  counts.sectorContacts = raw.sectorContacts
  counts.handoffs = raw.handoffs
  for (const [kind, n] of Object.entries(raw.activities) as [ActivityKind, number][]) counts[ACTIVITY_MEASURE[kind]] += n
  // Reports written elsewhere are recorded as activities; those drafted here count once submitted.
  counts.opinionReports += raw.reportsSubmitted
  return counts
}

const defaultSettings = (): LedgerTargetSettings => ({ preset: DEFAULT_LEDGER_PRESET, targets: LEDGER_PRESETS[DEFAULT_LEDGER_PRESET].targets })

/**
 * The targets a committee's members are measured against: its own settings, else those of the nearest
 * committee above it (a city sets them for its counties), else the built-in default. `path` is the committee's
 * ancestor ids and its own, '/'-joined.
 */
export function effectiveTargets(
  path: string,
  settingsOf: (committeeId: string) => CommitteeSettings | undefined,
): LedgerTargetSettings & { inheritedFrom: string | null } {
  for (const id of path.split('/').reverse()) {
    const ledger = settingsOf(id)?.ledger
    if (ledger) return { ...ledger, inheritedFrom: id }
  }
  return { ...defaultSettings(), inheritedFrom: null }
}

export function evaluateTargets(
  settings: LedgerTargetSettings,
  counts: LedgerCounts,
): { targets: LedgerTargetResult[]; targetsMet: number; targetsTotal: number } {
  const targets = settings.targets.map((t) => ({ measure: t.measure, label: t.label, min: t.min, actual: counts[t.measure], met: counts[t.measure] >= t.min }))
  return { targets, targetsMet: targets.filter((t) => t.met).length, targetsTotal: targets.length }
}

/** A committee's choice as stored: a named preset brings its own targets; `custom` must bring them. */
export function settingsFromBody(body: LedgerTargetsBody): LedgerTargetSettings {
  if (body.preset === 'custom') {
    if (!body.targets) throw validationFailed([{ field: 'body.targets', message: 'required for a custom preset', keyword: 'required' }])
    const seen = new Set<string>()
    for (const [i, t] of body.targets.entries()) {
      if (seen.has(t.measure)) throw validationFailed([{ field: `body.targets.${i}.measure`, message: `${t.measure} appears twice`, keyword: 'uniqueItems' }])
      seen.add(t.measure)
    }
    return { preset: 'custom', targets: body.targets }
  }
  if (body.targets) throw validationFailed([{ field: 'body.targets', message: 'only for preset "custom"; a named preset brings its own targets' }])
  return { preset: body.preset, targets: LEDGER_PRESETS[body.preset].targets }
}
