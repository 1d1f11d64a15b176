import { and, asc, eq } from 'drizzle-orm'
import { committee, member, qrCode } from '../db/schema'
import type { Db } from '../db/database'
import { DEMO_COUNTY, DEMO_MEMBERS, DEMO_PASSWORD } from './demo-data'
import type { SeedSummary } from './seed-demo'

/** What to print at start when the demo county is present (also on the second start, when nothing is seeded). */
export async function readDemoSummary(db: Db): Promise<SeedSummary | undefined> {
  const first = DEMO_MEMBERS[0]!
  const [row] = await db
    .select({ code: qrCode.code })
    .from(qrCode)
    .innerJoin(member, eq(member.id, qrCode.memberId))
    .innerJoin(committee, eq(committee.id, member.committeeId))
    .where(and(eq(committee.shortCode, DEMO_COUNTY.shortCode), eq(member.name, first.name), eq(qrCode.status, 'active')))
    .orderBy(asc(qrCode.createdAt))
    .limit(1)
  if (!row) return undefined
  return {
    logins: [
      { role: 'system_admin', username: 'admin', password: DEMO_PASSWORD, who: '系统管理员' },
      { role: 'committee_admin', username: 'committee', password: DEMO_PASSWORD, who: DEMO_COUNTY.name },
      { role: 'station_admin', username: 'station', password: DEMO_PASSWORD, who: '东城街道委员工作站' },
      { role: 'member', username: first.username, password: DEMO_PASSWORD, who: first.name },
    ],
    sampleScanCode: row.code,
    sampleMember: first.name,
  }
}

export function formatDemoBanner(summary: SeedSummary, publicBaseUrl: string): string {
  const width = Math.max(...summary.logins.map((l) => l.role.length))
  return [
    'Demo data (SEED_DEMO=false turns it off; never use these accounts for real work):',
    ...summary.logins.map((l) => `  ${l.role.padEnd(width)}  ${l.username} / ${l.password}  ${l.who}`),
    `  scan URL for ${summary.sampleMember}: ${publicBaseUrl}/q/${summary.sampleScanCode}`,
  ].join('\n')
}
