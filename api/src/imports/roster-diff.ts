import { createHash } from 'node:crypto'
import type { CommitteeLevel, ImportDiff, ImportFieldChange, ImportRowError, MemberStatus } from '@mashangjian/shared'
import type { ImportCounts, StoredRosterRow } from '../db/schema'
import { levelOf, stationNames, statusOf } from './roster-rows'

/** A member as the import compares it. */
export interface ExistingMember {
  id: string
  name: string
  level: CommitteeLevel
  sectorId: string | null
  title: string
  status: MemberStatus
  phoneHash: string | null
  phoneMasked: string | null
  stationIds: string[]
  /** Whether the importing admin manages this member (a station admin: one of their stations). */
  manageable: boolean
}

/** What the import sees of the committee: names to ids, and the members its rows may be. */
export interface RosterContext {
  sectorsByName: Map<string, string>
  stationsByName: Map<string, string[]>
  stationNamesById: Map<string, string>
  sectorNamesById: Map<string, string>
  /** Stations the admin manages; `all` for committee admins. A station admin's other stations are "unknown". */
  manageableStations: Set<string> | 'all'
  byPhoneHash: Map<string, ExistingMember>
  /** Members with no phone on record yet, by exact name: an import that brings their phone adopts them. */
  phonelessByName: Map<string, ExistingMember[]>
}

export interface MemberFields {
  name: string
  level: CommitteeLevel
  sectorId: string | null
  title: string
  status: MemberStatus
  phoneEnc: string
  phoneHash: string
  phoneMasked: string
}

export type RowPlan =
  | { kind: 'add'; row: number; values: MemberFields; stationIds: string[] }
  | {
      kind: 'update'
      row: number
      memberId: string
      name: string
      phoneMasked: string
      patch: Partial<MemberFields>
      stationIds?: string[]
      changes: ImportFieldChange[]
    }
  | { kind: 'unchanged'; row: number; memberId: string; name: string }
  | { kind: 'error'; row: number; name: string | null; errors: ImportRowError[] }

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join()

/**
 * What each row would do: add a member, update one (and which fields), leave one as it is, or nothing because
 * of errors. Pure: the dry run and the confirmation compute it the same way, so confirming can check that the
 * roster did not move in between. Rows are matched by phone (keyed hash), else a phoneless member of the same name.
 * An empty optional cell leaves that field as it is (a new member gets the default).
 */
export function planRows(rows: StoredRosterRow[], ctx: RosterContext): RowPlan[] {
  const claimed = new Map<string, number>()
  const plans = rows.map((r): RowPlan => {
    const errors: ImportRowError[] = [...r.fileErrors]
    const c = r.cells

    let sectorId: string | null | undefined
    if (c.sector) {
      sectorId = ctx.sectorsByName.get(c.sector)
      if (!sectorId) errors.push({ code: 'unknown_sector', column: '界别', value: c.sector, message: `no sector ${c.sector} in this committee` })
    }
    let stationIds: string[] | undefined
    if (c.stations) {
      stationIds = []
      for (const name of stationNames(c.stations)) {
        const found = (ctx.stationsByName.get(name) ?? []).filter((id) => ctx.manageableStations === 'all' || ctx.manageableStations.has(id))
        if (found.length === 0) errors.push({ code: 'unknown_station', column: '工作站', value: name, message: `no station ${name} among yours` })
        else if (found.length > 1)
          errors.push({ code: 'ambiguous_station', column: '工作站', value: name, message: `${found.length} stations are called ${name}; rename one` })
        else stationIds.push(found[0]!)
      }
    }

    let existing: ExistingMember | undefined
    if (r.phone) {
      existing = ctx.byPhoneHash.get(r.phone.hash)
      if (!existing && c.name) {
        const namesakes = (ctx.phonelessByName.get(c.name) ?? []).filter((m) => m.manageable)
        if (namesakes.length > 1)
          errors.push({
            code: 'ambiguous_member',
            column: '姓名',
            value: c.name,
            message: `${namesakes.length} members called ${c.name} have no phone yet; add it to one by hand first`,
          })
        else existing = namesakes[0]
      }
      if (existing && !existing.manageable) {
        errors.push({ code: 'not_your_member', column: '手机号', message: 'this phone belongs to a member of a station you do not manage' })
        existing = undefined
      }
      if (existing) {
        const other = claimed.get(existing.id)
        if (other !== undefined) errors.push({ code: 'ambiguous_member', column: '姓名', value: c.name, message: `row ${other} already updates this member` })
        else claimed.set(existing.id, r.row)
      }
    }

    const name = c.name ?? null
    if (!existing && errors.length === 0 && ctx.manageableStations !== 'all' && (stationIds ?? []).length === 0) {
      errors.push({ code: 'no_station_of_yours', column: '工作站', message: 'name one of your stations: a new member must belong to one' })
    }
    if (errors.length > 0) return { kind: 'error', row: r.row, name, errors }

    const level = levelOf(c.level!)!
    const status = c.status ? statusOf(c.status)! : undefined
    const phone = r.phone!
    if (!existing) {
      return {
        kind: 'add',
        row: r.row,
        stationIds: stationIds ?? [],
        values: {
          name: c.name!,
          level,
          sectorId: sectorId ?? null,
          title: c.title ?? '',
          status: status ?? 'active',
          phoneEnc: phone.enc,
          phoneHash: phone.hash,
          phoneMasked: phone.masked,
        },
      }
    }

    const patch: Partial<MemberFields> = {}
    const changes: ImportFieldChange[] = []
    const change = <K extends keyof MemberFields>(
      field: ImportFieldChange['field'],
      key: K,
      to: MemberFields[K],
      from: MemberFields[K] | null,
      show: (v: MemberFields[K] | null) => string | null = (v) => (v === null ? null : String(v)),
    ) => {
      if (to === from) return
      patch[key] = to
      changes.push({ field, from: show(from), to: show(to) })
    }
    change('name', 'name', c.name!, existing.name)
    if (existing.phoneHash !== phone.hash) {
      Object.assign(patch, { phoneEnc: phone.enc, phoneHash: phone.hash, phoneMasked: phone.masked })
      changes.push({ field: 'phone', from: existing.phoneMasked, to: phone.masked })
    }
    change('level', 'level', level, existing.level)
    if (sectorId !== undefined) change('sector', 'sectorId', sectorId, existing.sectorId, (id) => (id ? (ctx.sectorNamesById.get(id) ?? id) : null))
    if (c.title !== undefined) change('title', 'title', c.title, existing.title)
    if (status) change('status', 'status', status, existing.status)

    let nextStations: string[] | undefined
    if (stationIds) {
      // Only the stations the admin manages are replaced; the member's other stations stay.
      const kept = ctx.manageableStations === 'all' ? [] : existing.stationIds.filter((id) => !(ctx.manageableStations as Set<string>).has(id))
      const next = [...new Set([...kept, ...stationIds])]
      if (!sameSet(next, existing.stationIds)) {
        nextStations = next
        const show = (ids: string[]) => ids.map((id) => ctx.stationNamesById.get(id) ?? id).join('、')
        changes.push({ field: 'stations', from: show(existing.stationIds), to: show(next) })
      }
    }
    if (changes.length === 0) return { kind: 'unchanged', row: r.row, memberId: existing.id, name: existing.name }
    return {
      kind: 'update',
      row: r.row,
      memberId: existing.id,
      name: c.name!,
      phoneMasked: phone.masked,
      patch,
      ...(nextStations && { stationIds: nextStations }),
      changes,
    }
  })
  return plans
}

export function countPlans(plans: RowPlan[]): ImportCounts {
  const counts = { add: 0, update: 0, unchanged: 0, error: 0 }
  for (const p of plans) counts[p.kind === 'error' ? 'error' : p.kind] += 1
  return counts
}

/** The diff shown to the admin (phones only masked). */
export function diffOf(plans: RowPlan[], ctx: Pick<RosterContext, 'sectorNamesById' | 'stationNamesById'>): ImportDiff {
  const diff: ImportDiff = { add: [], update: [], unchanged: [], errors: [] }
  for (const p of plans) {
    if (p.kind === 'add') {
      diff.add.push({
        row: p.row,
        name: p.values.name,
        phoneMasked: p.values.phoneMasked,
        level: p.values.level,
        title: p.values.title,
        status: p.values.status,
        sector: p.values.sectorId ? (ctx.sectorNamesById.get(p.values.sectorId) ?? null) : null,
        stations: p.stationIds.map((id) => ctx.stationNamesById.get(id) ?? id),
      })
    } else if (p.kind === 'update') {
      diff.update.push({ row: p.row, memberId: p.memberId, name: p.name, phoneMasked: p.phoneMasked, changes: p.changes })
    } else if (p.kind === 'unchanged') {
      diff.unchanged.push({ row: p.row, memberId: p.memberId, name: p.name })
    } else {
      diff.errors.push({ row: p.row, name: p.name, errors: p.errors })
    }
  }
  return diff
}

/**
 * A fingerprint of the diff the admin saw and of what confirming would write (not of the ciphertexts, which differ
 * on every encryption): the confirmation recomputes the plan and refuses to apply it if the fingerprint moved, so
 * what is applied is exactly what was shown, even if someone edited a member in between.
 */
export function planFingerprint(plans: RowPlan[]): string {
  const essence = plans.map((p) => {
    if (p.kind === 'add') return [p.kind, p.row, { ...p.values, phoneEnc: undefined }, [...p.stationIds].sort()]
    if (p.kind === 'update') return [p.kind, p.row, p.memberId, { ...p.patch, phoneEnc: undefined }, p.stationIds ? [...p.stationIds].sort() : null, p.changes]
    if (p.kind === 'unchanged') return [p.kind, p.row, p.memberId]
    return [p.kind, p.row, p.errors.map((e) => e.code)]
  })
  return createHash('sha256').update(JSON.stringify(essence)).digest('base64url')
}
