import type { CreateMemberBody, FieldError, MemberListQuery, MemberView, UpdateMemberBody } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeInScope } from '../auth/scope'
import type { AuditLog } from '../audit/audit-log'
import { changedFields } from '../audit/changes'
import type { BlobStore } from '../attachments/blob-store'
import { ImageRejected, reencodeImage } from '../attachments/image-processing'
import type { PhotoStore } from '../attachments/photo-store'
import type { Db } from '../db/database'
import { isForeignKeyViolation, isUniqueViolation } from '../db/pg-errors'
import { AppError, notFound, validationFailed } from '../errors/app-error'
import { committeeFor, type CommitteePaths } from '../org/committee-target'
import type { PhoneLookup } from '../privacy/phone-lookup'
import { normalizeMainlandMobile } from '../public/submission-rules'
import type { MemberRow, MembersRepo } from './members-repo'
import { insertMemberCodes } from '../qr/qr-repo'

export const memberPhotoUrl = (m: Pick<MemberRow, 'id' | 'photoKey'>) =>
  // The key's file name changes with every upload, so a new photo is a new URL for caches.
  m.photoKey ? `/api/v1/public/members/${m.id}/photo?v=${m.photoKey.split('/').at(-1)!.slice(0, 8)}` : null

function view(m: MemberRow, sectorName: string | null, stations: { id: string; name: string }[]): MemberView {
  return {
    id: m.id,
    committeeId: m.committeeId,
    sectorId: m.sectorId,
    sectorName,
    level: m.level,
    name: m.name,
    title: m.title,
    bio: m.bio,
    status: m.status,
    phoneMasked: m.phoneMasked,
    photoUrl: memberPhotoUrl(m),
    contactTargetPerYear: m.contactTargetPerYear,
    stations,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  }
}

/** What an audit entry says about a member: never the phone in clear. */
const AUDITED = ['name', 'level', 'sectorId', 'title', 'bio', 'status', 'phoneMasked', 'contactTargetPerYear', 'photoKey'] as const

export interface MembersServiceDeps {
  db: Db
  repo: MembersRepo
  committees: CommitteePaths
  audit: AuditLog
  phones: PhoneLookup
  photos: PhotoStore
  blobs: BlobStore
}

/**
 * The roster: members, their sector, level, stations, phone (encrypted) and portrait. Committee admins manage the
 * members of their subtree; station admins the members of their own stations, and only their stations' links.
 */
export function createMembersService({ db, repo, committees, audit, phones, photos, blobs }: MembersServiceDeps) {
  /** A member the caller may manage, or 404. */
  async function load(actor: Actor, id: string) {
    const found = await repo.find(id)
    if (!found) throw notFound('member')
    if (actor.role === 'station_admin') {
      const stations = (await repo.stationsOf([id])).get(id) ?? []
      if (!stations.some((s) => actor.stationIds.includes(s.id))) throw notFound('member')
    } else if (!committeeInScope(actor, found.committeePath)) {
      throw notFound('member')
    }
    return found
  }

  const phoneTaken = (err: unknown): never => {
    if (isUniqueViolation(err, 'member_committee_phone_key'))
      throw validationFailed([{ field: 'body.phone', message: 'another member of this committee has this number' }])
    throw err
  }

  /** Sector and stations must be the member's committee's; a station admin may only link their own stations. */
  async function checkLinks(actor: Actor, committeeId: string, body: { sectorId?: string | null; stationIds?: string[] }, errors: FieldError[]) {
    if (body.sectorId && (await repo.sectorCommittee(body.sectorId)) !== committeeId) {
      errors.push({ field: 'body.sectorId', message: 'no such sector in this committee' })
    }
    const ids = body.stationIds ?? []
    const committeesOf = await repo.stationCommittees(ids)
    ids.forEach((id, i) => {
      const outOfScope = actor.role === 'station_admin' && !actor.stationIds.includes(id)
      if (committeesOf.get(id) !== committeeId || outOfScope)
        errors.push({ field: `body.stationIds.${i}`, message: 'no such station among yours in this committee' })
    })
  }

  function phoneFields(raw: string | null | undefined, errors: FieldError[]) {
    if (raw === undefined) return {}
    if (raw === null) return { phoneEnc: null, phoneHash: null, phoneMasked: null }
    const phone = normalizeMainlandMobile(raw)
    if (!phone) {
      errors.push({ field: 'body.phone', message: 'must be an 11-digit mainland mobile number' })
      return {}
    }
    const p = phones.protect(phone)
    return { phoneEnc: p.enc, phoneHash: p.hash, phoneMasked: p.masked }
  }

  async function present(id: string): Promise<MemberView> {
    const found = (await repo.find(id))!
    const stations = (await repo.stationsOf([id])).get(id) ?? []
    return view(found.member, found.sectorName, stations)
  }

  return {
    async list(actor: Actor, query: MemberListQuery) {
      const limit = query.limit ?? 50
      const offset = query.offset ?? 0
      const committeeId = query.committeeId ? (await committeeFor(actor, query.committeeId, committees, 'querystring.committeeId')).id : undefined
      const { rows, total } = await repo.list(actor, { ...query, committeeId }, limit, offset)
      const stations = await repo.stationsOf(rows.map((r) => r.member.id))
      return { items: rows.map((r) => view(r.member, r.sectorName, stations.get(r.member.id) ?? [])), total, limit, offset }
    },

    async get(actor: Actor, id: string): Promise<MemberView> {
      await load(actor, id)
      return present(id)
    },

    async create(actor: Actor, body: CreateMemberBody, ip?: string): Promise<MemberView> {
      const target = await committeeFor(actor, body.committeeId, committees, 'body.committeeId')
      const errors: FieldError[] = []
      await checkLinks(actor, target.id, body, errors)
      if (actor.role === 'station_admin' && (body.stationIds ?? []).length === 0) {
        errors.push({ field: 'body.stationIds', message: 'add the member to at least one of your stations' })
      }
      const phone = phoneFields(body.phone, errors)
      if (errors.length > 0) throw validationFailed(errors)
      const id = await db
        .transaction(async (tx) => {
          const row = await repo.insert(tx, {
            committeeId: target.id,
            name: body.name.trim(),
            level: body.level,
            sectorId: body.sectorId ?? null,
            title: body.title?.trim() ?? '',
            bio: body.bio ?? '',
            status: body.status ?? 'active',
            contactTargetPerYear: body.contactTargetPerYear ?? 10,
            ...phone,
          })
          await repo.setStations(tx, row.id, body.stationIds ?? [])
          await insertMemberCodes(tx, [{ memberId: row.id, committeeId: target.id }], actor.userId)
          await audit.record(tx, {
            actorUserId: actor.userId,
            actorIp: ip,
            action: 'member.created',
            targetKind: 'member',
            targetId: row.id,
            detail: { name: row.name, phoneMasked: row.phoneMasked, stationIds: body.stationIds ?? [] },
          })
          return row.id
        })
        .catch(phoneTaken)
      return present(id)
    },

    async update(actor: Actor, id: string, body: UpdateMemberBody, ip?: string): Promise<MemberView> {
      const found = await load(actor, id)
      const before = found.member
      const errors: FieldError[] = []
      await checkLinks(actor, before.committeeId, body, errors)
      const phone = phoneFields(body.phone, errors)
      if (errors.length > 0) throw validationFailed(errors)
      const { stationIds, phone: _phone, ...rest } = body
      const patch = {
        ...rest,
        ...phone,
        ...(rest.name !== undefined && { name: rest.name.trim() }),
        ...(rest.title !== undefined && { title: rest.title.trim() }),
      }
      await db
        .transaction(async (tx) => {
          const after = await repo.update(tx, id, patch)
          let stationChange: { from: string[]; to: string[] } | undefined
          if (stationIds) {
            // Only the stations the caller manages are replaced; a station admin leaves the member's other stations alone.
            const current = ((await repo.stationsOf([id], tx)).get(id) ?? []).map((s) => s.id)
            const kept = actor.role === 'station_admin' ? current.filter((s) => !actor.stationIds.includes(s)) : []
            const next = [...new Set([...kept, ...stationIds])]
            await repo.setStations(tx, id, next)
            if (JSON.stringify([...current].sort()) !== JSON.stringify([...next].sort())) stationChange = { from: current, to: next }
          }
          await audit.record(tx, {
            actorUserId: actor.userId,
            actorIp: ip,
            action: 'member.updated',
            targetKind: 'member',
            targetId: id,
            detail: { changes: changedFields(before, after, AUDITED), ...(stationChange && { stations: stationChange }) },
          })
        })
        .catch(phoneTaken)
      return present(id)
    },

    /** Only a member without history goes (e.g. added by mistake); others are set `inactive`. */
    async remove(actor: Actor, id: string, ip?: string): Promise<void> {
      const found = await load(actor, id)
      try {
        await db.transaction(async (tx) => {
          await repo.remove(tx, id)
          await audit.record(tx, {
            actorUserId: actor.userId,
            actorIp: ip,
            action: 'member.deleted',
            targetKind: 'member',
            targetId: id,
            detail: { name: found.member.name },
          })
        })
      } catch (err) {
        if (isForeignKeyViolation(err)) throw new AppError('IN_USE', 'The member has cases, QR codes, an account or records; set status to inactive instead.')
        throw err
      }
      if (found.member.photoKey) await blobs.remove(found.member.photoKey).catch(() => {})
    },

    /** Re-encodes the portrait like residents' photos (upright, ≤ 1600 px, JPEG, no EXIF) and replaces the old one. */
    async setPhoto(actor: Actor, id: string, upload: Buffer, ip?: string): Promise<MemberView> {
      const found = await load(actor, id)
      let image
      try {
        image = await reencodeImage(upload)
      } catch (err) {
        if (!(err instanceof ImageRejected)) throw err
        throw validationFailed([
          {
            field: 'body.photo',
            message: err.reason === 'size' ? 'too large (at most 8 MB)' : 'not an image we can read (JPEG, PNG, WebP…)',
            keyword: err.reason,
          },
        ])
      }
      await photos.withPhotos([image], ([stored]) =>
        db.transaction(async (tx) => {
          await repo.update(tx, id, { photoKey: stored!.storageKey })
          await audit.record(tx, {
            actorUserId: actor.userId,
            actorIp: ip,
            action: 'member.photo_set',
            targetKind: 'member',
            targetId: id,
            detail: { bytes: stored!.bytes, width: stored!.width, height: stored!.height },
          })
        }),
      )
      if (found.member.photoKey) await blobs.remove(found.member.photoKey).catch(() => {})
      return present(id)
    },

    async removePhoto(actor: Actor, id: string, ip?: string): Promise<MemberView> {
      const found = await load(actor, id)
      if (found.member.photoKey) {
        await db.transaction(async (tx) => {
          await repo.update(tx, id, { photoKey: null })
          await audit.record(tx, { actorUserId: actor.userId, actorIp: ip, action: 'member.photo_removed', targetKind: 'member', targetId: id })
        })
        await blobs.remove(found.member.photoKey).catch(() => {})
      }
      return present(id)
    },

    /** The portrait shown on scan pages: public like the placard it belongs to, except for members who left. */
    async publicPhoto(id: string): Promise<Buffer> {
      const found = await repo.find(id)
      if (!found?.member.photoKey || found.member.status === 'inactive') throw notFound('photo')
      const data = await blobs.get(found.member.photoKey)
      if (!data) throw notFound('photo')
      return data
    },
  }
}
export type MembersService = ReturnType<typeof createMembersService>
