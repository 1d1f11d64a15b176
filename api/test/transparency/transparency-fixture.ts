import { randomBytes } from 'node:crypto'
import { caseEvent, cases, category, memberStation } from '../../src/db/schema'
import type { Db } from '../../src/db/database'
import type { Org } from '../support/fixtures'

export const PHONE = '13500135000'
export const ID_NUMBER = '110101199003071234'

/** A varied Chinese text (not one repeated phrase) so the gzip budget is measured on text that compresses like real answers. */
export function variedText(chars: number, seed: number): string {
  const pool =
    '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可而主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严'
  let out = ''
  let x = (seed * 2654435761) % 4294967296
  for (let i = 0; i < chars; i++) {
    x = (x * 1103515245 + 12345) % 2147483648
    out += pool[x % pool.length]
    if (i % 23 === 22) out += '，'
  }
  return `${out}。`
}

let n = 0
export interface CaseSpec {
  stationId: string
  memberId?: string | null
  categoryId?: string | null
  status: 'accepted' | 'in_progress' | 'resolved' | 'closed' | 'reopened'
  createdAt: string
  acceptedAt?: string
  acceptDueAt?: string
  resolveDueAt?: string
  resolvedAt?: string
  rating?: 'satisfied' | 'basically_satisfied' | 'unsatisfied'
  ratedAt?: string
  description?: string
  location?: string
  reply?: string
  publishable?: boolean
  publicText?: string | null
}

/** Inserts a case as the engine would leave it (the trigger logs it for the metrics), with its 办结 answer event. */
export async function insertCase(db: Db, org: Org, spec: CaseSpec): Promise<string> {
  const d = (s?: string) => (s ? new Date(s) : null)
  const [row] = await db
    .insert(cases)
    .values({
      publicNo: `${org.countyA.shortCode}-2026-${String(++n).padStart(6, '0')}-${randomBytes(2).toString('hex')}`,
      trackingSecretHash: randomBytes(16).toString('hex'),
      committeeId: org.countyA.id,
      stationId: spec.stationId,
      memberId: spec.memberId === undefined ? org.memberA.id : spec.memberId,
      categoryId: spec.categoryId ?? null,
      channel: 'qr',
      status: spec.status,
      description: spec.description ?? '描述',
      locationText: spec.location ?? null,
      createdAt: new Date(spec.createdAt),
      acceptDueAt: d(spec.acceptDueAt),
      acceptedAt: d(spec.acceptedAt),
      resolveDueAt: d(spec.resolveDueAt),
      resolvedAt: d(spec.resolvedAt),
      rating: spec.rating ?? null,
      ratedAt: d(spec.ratedAt),
      ratingSource: spec.rating ? 'web' : null,
      publishable: spec.publishable ?? false,
      publicText: spec.publicText ?? null,
    })
    .returning({ id: cases.id })
  if (spec.reply !== undefined) {
    await db.insert(caseEvent).values({
      caseId: row!.id,
      type: 'resolved',
      actorKind: 'member',
      visibility: 'public',
      body: spec.reply,
      fromStatus: 'in_progress',
      toStatus: 'resolved',
      occurredAt: new Date(spec.resolvedAt ?? spec.createdAt),
    })
  }
  return row!.id
}

export async function categoryFor(db: Db, org: Org) {
  await db.insert(memberStation).values({ memberId: org.memberA.id, stationId: org.stationA1.id })
  const [lights] = await db
    .insert(category)
    .values({
      committeeId: org.countyA.id,
      names: { 'zh-CN': '路灯照明', en: 'Street lights', ug: 'يول چىرىغى', 'kk-Arab-CN': 'جول شامى' },
    })
    .returning()
  return lights!
}
