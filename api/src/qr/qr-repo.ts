import { and, asc, desc, eq, inArray } from 'drizzle-orm'
import { category, committee, member, memberStation, qrCode, sector, station } from '../db/schema'
import type { Db, DbOrTx } from '../db/database'
import { newQrCode } from './qr-codes'

export type QrRow = typeof qrCode.$inferSelect

/** Data access for QR codes and for everything a scan page shows about the code's holder. */
export function createQrRepo(db: Db) {
  const stationOf = async (tx: DbOrTx, id: string) => (await tx.select().from(station).where(eq(station.id, id)))[0]

  return {
    async findByCode(code: string): Promise<QrRow | undefined> {
      return (await db.select().from(qrCode).where(eq(qrCode.code, code)))[0]
    },

    async findById(id: string): Promise<QrRow | undefined> {
      return (await db.select().from(qrCode).where(eq(qrCode.id, id)))[0]
    },

    /** The code that replaced this one, if it was rotated. */
    async successorOf(id: string): Promise<QrRow | undefined> {
      return (await db.select().from(qrCode).where(eq(qrCode.rotatedFrom, id)))[0]
    },

    async activeCodeFor(target: { memberId?: string; stationId?: string }): Promise<QrRow | undefined> {
      const where = target.memberId ? eq(qrCode.memberId, target.memberId) : eq(qrCode.stationId, target.stationId!)
      return (
        await db
          .select()
          .from(qrCode)
          .where(and(where, eq(qrCode.status, 'active')))
          .orderBy(desc(qrCode.createdAt))
          .limit(1)
      )[0]
    },

    list(target: { memberId?: string; stationId?: string }) {
      const where = target.memberId ? eq(qrCode.memberId, target.memberId) : eq(qrCode.stationId, target.stationId!)
      return db.select().from(qrCode).where(where).orderBy(desc(qrCode.createdAt))
    },

    async committee(id: string) {
      return (await db.select().from(committee).where(eq(committee.id, id)))[0]!
    },

    async member(id: string) {
      const [row] = await db.select({ member, sectorName: sector.name }).from(member).leftJoin(sector, eq(sector.id, member.sectorId)).where(eq(member.id, id))
      return row
    },

    /** A member's stations, the one they joined first being their home station. */
    async stationsOfMember(memberId: string) {
      const rows = await db
        .select({ station })
        .from(memberStation)
        .innerJoin(station, eq(station.id, memberStation.stationId))
        .where(eq(memberStation.memberId, memberId))
        .orderBy(asc(memberStation.createdAt), asc(station.name))
      return rows.map((r) => r.station)
    },

    station: (id: string) => stationOf(db, id),

    async membersOfStation(stationId: string) {
      return db
        .select({ id: member.id, name: member.name, status: member.status, sectorName: sector.name })
        .from(memberStation)
        .innerJoin(member, eq(member.id, memberStation.memberId))
        .leftJoin(sector, eq(sector.id, member.sectorId))
        .where(eq(memberStation.stationId, stationId))
        .orderBy(asc(member.name))
    },

    categories(committeeId: string) {
      return db
        .select()
        .from(category)
        .where(and(eq(category.committeeId, committeeId), eq(category.active, true)))
        .orderBy(asc(category.sortOrder))
    },

    async insert(row: typeof qrCode.$inferInsert, tx: DbOrTx = db): Promise<QrRow> {
      return (await tx.insert(qrCode).values(row).returning())[0]!
    },

    /** Rotation in one transaction: the old code stops being active and points to its successor for a while. */
    rotate(old: QrRow, next: typeof qrCode.$inferInsert, now: Date, redirectUntil: Date): Promise<QrRow> {
      return db.transaction(async (tx) => {
        await tx.update(qrCode).set({ status: 'revoked', revokedAt: now, redirectUntil }).where(eq(qrCode.id, old.id))
        return (
          await tx
            .insert(qrCode)
            .values({ ...next, rotatedFrom: old.id })
            .returning()
        )[0]!
      })
    },

    async revoke(id: string, now: Date): Promise<QrRow> {
      return (await db.update(qrCode).set({ status: 'revoked', revokedAt: now, redirectUntil: null }).where(eq(qrCode.id, id)).returning())[0]!
    },

    async committeePaths(ids: string[]) {
      if (ids.length === 0) return new Map<string, string>()
      const rows = await db.select({ id: committee.id, path: committee.path }).from(committee).where(inArray(committee.id, ids))
      return new Map(rows.map((r) => [r.id, r.path]))
    },
  }
}
export type QrRepo = ReturnType<typeof createQrRepo>

/**
 * Every new member gets an active placard code in the transaction that creates them (by hand or by roster
 * import), so a station can print their placard at once; more codes can be issued or rotated later.
 */
export async function insertMemberCodes(tx: DbOrTx, members: { memberId: string; committeeId: string }[], createdBy: string): Promise<void> {
  if (members.length === 0) return
  await tx
    .insert(qrCode)
    .values(members.map((m) => ({ code: newQrCode(), committeeId: m.committeeId, targetKind: 'member' as const, memberId: m.memberId, createdBy })))
}
