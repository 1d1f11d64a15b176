import { createHash } from 'node:crypto'
import { addDays, beijingDay, type ContactKind } from '@mashangjian/shared'
import type { DbOrTx } from '../db/database'
import { contact } from '../db/schema'

/** A few 界别群众 contacts of demo members (issue 15), days before the seed runs. Without phones: nothing to mask. */
export const DEMO_CONTACTS: { member: string; name: string; daysAgo: number; kind: ContactKind; place: string; raised: string }[] = [
  { member: 'wang', name: '东城商户老周', daysAgo: 3, kind: 'visit', place: '东城步行街', raised: '步行街改造后货车进不来，早上送货只能停在路口' },
  { member: 'wang', name: '个体户协会刘会长', daysAgo: 12, kind: 'meeting', place: '县工商联会议室', raised: '小微企业贷款手续多、放款慢' },
  { member: 'li', name: '社区卫生站张医生', daysAgo: 5, kind: 'phone', place: '', raised: '慢病老人取药要跑两趟，希望能在社区开长处方' },
  { member: 'zhang', name: '家长委员会王女士', daysAgo: 8, kind: 'reception', place: '南关工作站', raised: '放学时段校门口车辆拥堵，孩子过马路不安全' },
  { member: 'liu', name: '首阳镇药农马大哥', daysAgo: 20, kind: 'visit', place: '首阳镇中药材基地', raised: '今年黄芪收购价低，希望引进深加工企业' },
]

export async function seedDemoContacts(
  tx: DbOrTx,
  {
    committeeId,
    memberByKey,
    userOfMember,
    now,
  }: { committeeId: string; memberByKey: Map<string, { id: string }>; userOfMember: Map<string, string>; now: Date },
): Promise<void> {
  const today = beijingDay(now)
  await tx.insert(contact).values(
    DEMO_CONTACTS.map((c, i) => {
      const memberId = memberByKey.get(c.member)!.id
      // A fixed opId per demo row (a UUID shape from a hash), so a re-seed makes the same ids.
      const h = createHash('sha256').update(`demo-contact-${i}`).digest('hex')
      const opId = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
      return {
        committeeId,
        memberId,
        name: c.name,
        metOn: addDays(today, -c.daysAgo),
        kind: c.kind,
        place: c.place,
        raised: c.raised,
        createdBy: userOfMember.get(memberId) ?? null,
        opId,
        requestHash: 'demo',
        createdAt: now,
        updatedAt: now,
      }
    }),
  )
}
