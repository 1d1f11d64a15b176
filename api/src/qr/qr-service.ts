import type { QrCodeView, QrTarget } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeInScope } from '../auth/scope'
import { notFound } from '../errors/app-error'
import type { Clock } from '../clock'
import type { QrRepo, QrRow } from './qr-repo'
import { newQrCode, scanUrl } from './qr-codes'

/** How long a rotated-away code keeps pointing residents to its holder (DESIGN.md §3, issue 4). */
export const ROTATION_GRACE_DAYS = 90

export function createQrService({
  repo,
  clock,
  publicBaseUrl,
  onChange = () => {},
}: {
  repo: QrRepo
  clock: Clock
  publicBaseUrl: string
  /** Called with a code whose scan page changed (rotated, revoked), so caches drop it. */
  onChange?: (code: string) => void
}) {
  const view = (q: QrRow): QrCodeView => ({
    id: q.id,
    code: q.code,
    url: scanUrl(publicBaseUrl, q.code),
    targetKind: q.targetKind,
    memberId: q.memberId,
    stationId: q.stationId,
    status: q.status,
    rotatedFrom: q.rotatedFrom,
    redirectUntil: q.redirectUntil?.toISOString() ?? null,
    createdAt: q.createdAt.toISOString(),
  })

  /**
   * Who may manage a holder's codes: committee admins above its committee; station admins for their stations
   * and the members of them. Anything else is "not found".
   */
  async function assertTargetInScope(actor: Actor, target: QrTarget): Promise<{ committeeId: string }> {
    if ('memberId' in target) {
      const found = await repo.member(target.memberId)
      if (!found) throw notFound('member')
      const paths = await repo.committeePaths([found.member.committeeId])
      const stations = actor.role === 'station_admin' ? await repo.stationsOfMember(found.member.id) : []
      const ok =
        actor.role === 'station_admin'
          ? stations.some((s) => actor.stationIds.includes(s.id))
          : committeeInScope(actor, paths.get(found.member.committeeId) ?? '')
      if (!ok) throw notFound('member')
      return { committeeId: found.member.committeeId }
    }
    const st = await repo.station(target.stationId)
    if (!st) throw notFound('station')
    const paths = await repo.committeePaths([st.committeeId])
    const ok = actor.role === 'station_admin' ? actor.stationIds.includes(st.id) : committeeInScope(actor, paths.get(st.committeeId) ?? '')
    if (!ok) throw notFound('station')
    return { committeeId: st.committeeId }
  }

  const targetOf = (q: QrRow): QrTarget => (q.memberId ? { memberId: q.memberId } : { stationId: q.stationId! })

  async function inScopeCode(actor: Actor, id: string): Promise<QrRow> {
    const q = await repo.findById(id)
    if (!q) throw notFound('QR code')
    await assertTargetInScope(actor, targetOf(q))
    return q
  }

  return {
    async list(actor: Actor, target: QrTarget): Promise<QrCodeView[]> {
      await assertTargetInScope(actor, target)
      return (await repo.list(target)).map(view)
    },

    /** A new active code for a member or station; earlier codes stay as they are (a second placard is fine). */
    async issue(actor: Actor, target: QrTarget): Promise<QrCodeView> {
      const { committeeId } = await assertTargetInScope(actor, target)
      const row = await repo.insert({
        code: newQrCode(),
        committeeId,
        targetKind: 'memberId' in target ? 'member' : 'station',
        memberId: 'memberId' in target ? target.memberId : null,
        stationId: 'stationId' in target ? target.stationId : null,
        createdBy: actor.userId,
      })
      return view(row)
    },

    /** Replaces a code (e.g. a placard was defaced or misused); the old one points to the new for 90 days. */
    async rotate(actor: Actor, id: string): Promise<QrCodeView> {
      const old = await inScopeCode(actor, id)
      const now = clock.now()
      const next = await repo.rotate(
        old,
        {
          code: newQrCode(),
          committeeId: old.committeeId,
          targetKind: old.targetKind,
          memberId: old.memberId,
          stationId: old.stationId,
          createdBy: actor.userId,
        },
        now,
        new Date(now.getTime() + ROTATION_GRACE_DAYS * 86_400_000),
      )
      onChange(old.code)
      return view(next)
    },

    async revoke(actor: Actor, id: string): Promise<QrCodeView> {
      const q = await inScopeCode(actor, id)
      const revoked = q.status === 'revoked' && !q.redirectUntil ? q : await repo.revoke(q.id, clock.now())
      onChange(q.code)
      return view(revoked)
    },

    /** The URL a code's image encodes; any code ever issued has an image, so old placards can be reprinted. */
    async imageUrl(code: string): Promise<string> {
      const q = await repo.findByCode(code.toUpperCase())
      if (!q) throw notFound('QR code')
      return scanUrl(publicBaseUrl, q.code)
    },
  }
}
export type QrService = ReturnType<typeof createQrService>
