import type { Open311ClientView } from '@mashangjian/shared'
import { randomBytes } from 'node:crypto'
import type { Actor } from '../auth/actor'
import type { AuditLog } from '../audit/audit-log'
import { sha256 } from '../auth/tokens'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import { validationFailed } from '../errors/app-error'
import { assertInScope, committeeFor, type CommitteePaths } from '../org/committee-target'
import type { Open311ClientRow, Open311Repo } from './open311-repo'

/** Keys look like `msj311_…`: 192 random bits; the list shows the first 12 characters so staff can tell keys apart. */
const KEY_PREFIX = 'msj311_'
const SHOWN = 12

const view = (c: Open311ClientRow, stationName: string | null): Open311ClientView => ({
  id: c.id,
  committeeId: c.committeeId,
  name: c.name,
  keyPrefix: c.keyPrefix,
  stationId: c.stationId,
  stationName,
  createdAt: c.createdAt.toISOString(),
  lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
  revokedAt: c.revokedAt?.toISOString() ?? null,
})

/**
 * The console's Open311 clients (committee admins): each civic app gets its own key, shown once when issued and
 * stored only as its SHA-256; revoking ends it at once. The audit log names the client, never the key.
 */
export function createOpen311ClientsService({
  db,
  repo,
  committees,
  audit,
  clock,
}: {
  db: Db
  repo: Open311Repo
  committees: CommitteePaths
  audit: AuditLog
  clock: Clock
}) {
  return {
    async list(actor: Actor, committeeId: string | undefined): Promise<{ items: Open311ClientView[] }> {
      const target = await committeeFor(actor, committeeId, committees, 'querystring.committeeId')
      const rows = await repo.listClients(target.id)
      return { items: rows.map((r) => view(r.client, r.stationName)) }
    },

    async issue(
      actor: Actor,
      body: { name: string; stationId?: string | null; committeeId?: string },
      ip?: string,
    ): Promise<{ client: Open311ClientView; apiKey: string }> {
      const target = await committeeFor(actor, body.committeeId, committees, 'body.committeeId')
      const name = body.name.trim()
      if (!name) throw validationFailed([{ field: 'body.name', message: 'required' }])
      const station = body.stationId ? await repo.stationOf(body.stationId) : undefined
      if (body.stationId && (!station || station.committeeId !== target.id || !station.active)) {
        throw validationFailed([{ field: 'body.stationId', message: 'no such active station in this committee' }])
      }
      const apiKey = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`
      return db.transaction(async (tx) => {
        const row = await repo.insertClient(tx, {
          committeeId: target.id,
          name,
          keyHash: sha256(apiKey),
          keyPrefix: apiKey.slice(0, SHOWN),
          stationId: station?.id ?? null,
          createdBy: actor.userId,
          createdAt: clock.now(),
        })
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'open311_client.issued',
          targetKind: 'open311_client',
          targetId: row.id,
          detail: { name, keyPrefix: row.keyPrefix, stationId: row.stationId },
        })
        return { client: view(row, station?.name ?? null), apiKey }
      })
    },

    async revoke(actor: Actor, id: string, ip?: string): Promise<Open311ClientView> {
      const found = assertInScope(actor, await repo.findClient(id), (r) => r.committeePath, 'Open311 client')
      if (found.client.revokedAt) return view(found.client, found.stationName)
      return db.transaction(async (tx) => {
        const row = (await repo.revokeClient(tx, id, clock.now())) ?? found.client
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'open311_client.revoked',
          targetKind: 'open311_client',
          targetId: id,
          detail: { name: row.name, keyPrefix: row.keyPrefix },
        })
        return view(row, found.stationName)
      })
    },
  }
}
export type Open311ClientsService = ReturnType<typeof createOpen311ClientsService>
