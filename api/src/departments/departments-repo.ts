import { and, asc, count, eq, ilike, ne, or, sql } from 'drizzle-orm'
import { committee, department, handoff, notificationChannel } from '../db/schema'
import type { Db, DbOrTx } from '../db/database'
import { containsPattern } from '../db/like'
import type { Actor } from '../auth/actor'
import { committeeIdInScope } from '../auth/scope'

export type DepartmentRow = typeof department.$inferSelect
export type ChannelRef = { id: string; name: string; provider: (typeof notificationChannel.$inferSelect)['provider']; enabled: boolean; committeeId: string }

const channelRef = {
  id: notificationChannel.id,
  name: notificationChannel.name,
  provider: notificationChannel.provider,
  enabled: notificationChannel.enabled,
  committeeId: notificationChannel.committeeId,
}

export function createDepartmentsRepo(db: Db) {
  return {
    /** Departments of the actor's scope (station admins: their committee's), filtered, with their robot channel. */
    async list(actor: Actor, filter: { committeeId?: string; kind?: DepartmentRow['kind']; active?: boolean; q?: string }, limit: number, offset: number) {
      const q = filter.q?.trim()
      const where = and(
        committeeIdInScope(actor, department.committeeId),
        filter.committeeId ? eq(department.committeeId, filter.committeeId) : undefined,
        filter.kind ? eq(department.kind, filter.kind) : undefined,
        filter.active === undefined ? undefined : eq(department.active, filter.active),
        q ? or(ilike(department.name, containsPattern(q)), ilike(department.contactName, containsPattern(q))) : undefined,
      )
      const [rows, [total]] = await Promise.all([
        db
          .select({ department, channel: channelRef })
          .from(department)
          .leftJoin(notificationChannel, eq(notificationChannel.id, department.robotChannelId))
          .where(where)
          .orderBy(asc(department.name), asc(department.id))
          .limit(limit)
          .offset(offset),
        db.select({ n: count() }).from(department).where(where),
      ])
      return { rows, total: total?.n ?? 0 }
    },

    async find(id: string) {
      const [row] = await db
        .select({ department, channel: channelRef, committeePath: committee.path })
        .from(department)
        .innerJoin(committee, eq(committee.id, department.committeeId))
        .leftJoin(notificationChannel, eq(notificationChannel.id, department.robotChannelId))
        .where(eq(department.id, id))
      return row
    },

    async channel(id: string): Promise<ChannelRef | undefined> {
      const [row] = await db.select(channelRef).from(notificationChannel).where(eq(notificationChannel.id, id))
      return row
    },

    async nameTaken(committeeId: string, name: string, exceptId?: string): Promise<boolean> {
      const rows = await db
        .select({ id: department.id })
        .from(department)
        .where(and(eq(department.committeeId, committeeId), eq(department.name, name), exceptId ? ne(department.id, exceptId) : undefined))
        .limit(1)
      return rows.length > 0
    },

    async insert(tx: DbOrTx, values: typeof department.$inferInsert): Promise<DepartmentRow> {
      return (await tx.insert(department).values(values).returning())[0]!
    },

    async update(tx: DbOrTx, id: string, patch: Partial<typeof department.$inferInsert>): Promise<DepartmentRow> {
      return (
        await tx
          .update(department)
          .set({ ...patch, updatedAt: sql`now()` })
          .where(eq(department.id, id))
          .returning()
      )[0]!
    },

    async remove(tx: DbOrTx, id: string) {
      await tx.delete(department).where(eq(department.id, id))
    },

    /** What refers to a department, by kind: such a department is deactivated instead of deleted. */
    async usage(id: string): Promise<Record<string, number>> {
      const [row] = await db.select({ n: count() }).from(handoff).where(eq(handoff.departmentId, id))
      return row && row.n > 0 ? { 'hand-offs': row.n } : {}
    },
  }
}
export type DepartmentsRepo = ReturnType<typeof createDepartmentsRepo>
