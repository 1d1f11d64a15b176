import { describe, expect, it } from 'vitest'
import { routeCase, type Candidate, type RoutingInput } from '../src/routing/route-case'
import { normalizeMainlandMobile, validateSubmission } from '../src/public/submission-rules'
import { localeFromAcceptLanguage } from '../src/public/locale'
import { similarity } from '../src/public/similarity'

const c = (memberId: string, over: Partial<Candidate> = {}): Candidate => ({
  memberId,
  status: 'active',
  sectorId: null,
  openCases: 0,
  lastAssignedAt: null,
  onDutyNow: false,
  ...over,
})
const at = (iso: string) => new Date(iso)

describe('routeCase (DESIGN.md §5)', () => {
  const station = (candidates: Candidate[], extra: Partial<Extract<RoutingInput, { kind: 'station' }>> = {}): RoutingInput => ({
    kind: 'station',
    stationId: 'S',
    candidates,
    ...extra,
  })
  it.each<[string, RoutingInput, string | null, string]>([
    ['member code, active', { kind: 'member', memberId: 'M', memberStatus: 'active', homeStationId: 'S' }, 'M', 'member_code'],
    ['member code, on leave', { kind: 'member', memberId: 'M', memberStatus: 'on_leave', homeStationId: 'S' }, null, 'member_unavailable'],
    ['member code, inactive', { kind: 'member', memberId: 'M', memberStatus: 'inactive', homeStationId: null }, null, 'member_unavailable'],
    ['empty station', station([]), null, 'no_member'],
    ['station with only inactive members', station([c('a', { status: 'on_leave' }), c('b', { status: 'inactive' })]), null, 'no_member'],
    ['chosen member wins over load', station([c('a'), c('b', { openCases: 9 })], { chosenMemberId: 'b' }), 'b', 'chosen_member'],
    ['chosen member on leave falls through', station([c('a'), c('b', { status: 'on_leave' })], { chosenMemberId: 'b' }), 'a', 'least_load'],
    ['chosen member not at this station falls through', station([c('a')], { chosenMemberId: 'zz' }), 'a', 'least_load'],
    ['on duty first', station([c('a'), c('b', { onDutyNow: true, openCases: 5 })]), 'b', 'on_duty'],
    ['on duty but on leave is skipped', station([c('a'), c('b', { onDutyNow: true, status: 'on_leave' })]), 'a', 'least_load'],
    ['sector affinity', station([c('a'), c('b', { sectorId: 'health', openCases: 3 })], { categorySectorId: 'health' }), 'b', 'sector_affinity'],
    ['sector with nobody falls back to all', station([c('a', { openCases: 2 }), c('b', { openCases: 1 })], { categorySectorId: 'edu' }), 'b', 'least_load'],
    ['least load', station([c('a', { openCases: 3 }), c('b', { openCases: 1 }), c('c', { openCases: 2 })]), 'b', 'least_load'],
    ['tie: never assigned first', station([c('a', { lastAssignedAt: at('2026-11-01') }), c('b')]), 'b', 'least_load'],
    [
      'tie: longest wait first (round robin)',
      station([c('a', { lastAssignedAt: at('2026-11-02') }), c('b', { lastAssignedAt: at('2026-11-01') })]),
      'b',
      'least_load',
    ],
    ['tie on everything: by id, deterministic', station([c('b'), c('a')]), 'a', 'least_load'],
  ])('%s', (_name, input, memberId, reason) => {
    expect(routeCase(input)).toMatchObject({ memberId, reason })
  })

  it('spreads equal members round-robin as cases arrive', () => {
    let members = [c('a'), c('b'), c('c')]
    const picked: string[] = []
    for (let i = 0; i < 6; i++) {
      const { memberId } = routeCase({ kind: 'station', stationId: 'S', candidates: members })
      picked.push(memberId!)
      // The case is then resolved, so load stays equal; only the last assignment time moves.
      members = members.map((m) => (m.memberId === memberId ? { ...m, lastAssignedAt: new Date(2026, 0, 1, 0, i) } : m))
    }
    expect(picked).toEqual(['a', 'b', 'c', 'a', 'b', 'c'])
  })
})

describe('submission rules', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['12812345678', null],
    ['1381234567', null],
    ['138123456789', null],
    ['0931-1234567', null],
    ['abc', null],
  ])('mobile %s → %s', (input, out) => expect(normalizeMainlandMobile(input)).toBe(out))

  it.each([
    [{ description: '四个字啊' }, ['description']],
    [{ description: '五个字了吗' }, []],
    [{ description: '   五个字了吗   ' }, []],
    [{ description: '😀😀😀😀😀' }, []],
    [{ description: '字'.repeat(2000) }, []],
    [{ description: '字'.repeat(2001) }, ['description']],
    [{ description: '五个字了吗', location: '地'.repeat(201) }, ['location']],
    [{ description: '五个字了吗', phone: '13812345678' }, ['consent']],
    [{ description: '五个字了吗', phone: '13812345678', consent: 'on' }, []],
    [{ description: '五个字了吗', phone: '123', consent: 'on' }, ['phone']],
    [{ description: '五个字了吗', consent: 'on' }, []],
    [{ description: '五个字了吗', categoryId: 'x' }, ['categoryId']],
    [{ description: '五个字了吗', memberId: 'not-a-uuid' }, ['memberId']],
    [{ description: '五个字了吗', website: 'spam' }, ['form']],
    [{}, ['description']],
  ])('%j → issues on %j', (raw, fields) => {
    const r = validateSubmission(raw)
    expect('issues' in r ? r.issues.map((i) => i.field) : []).toEqual(fields)
  })
})

describe('Accept-Language', () => {
  it.each([
    ['zh-CN,zh;q=0.9', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['ug-CN', 'ug'],
    ['ug', 'ug'],
    ['kk-KZ', 'kk-Arab-CN'],
    ['kk-Arab-CN', 'kk-Arab-CN'],
    ['en-US,en;q=0.9', 'en'],
    ['fr-FR,de;q=0.5', undefined],
    [undefined, undefined],
    ['fr;q=1, ug;q=0.5', 'ug'],
  ])('%s → %s', (header, locale) => expect(localeFromAcceptLanguage(header)).toBe(locale))
})

describe('similarity of reports', () => {
  it.each([
    ['东城小区三号楼后面的垃圾桶已经一个星期没人清运了，味道很大', '东城小区三号楼后面的垃圾桶一个星期没人清运了，味道太大了', true],
    ['人民路夜市烧烤店每晚营业到凌晨两点，油烟和噪音很大', '人民路夜市的烧烤店每天开到凌晨两点，噪音油烟太大', true],
    ['人民路夜市烧烤店每晚营业到凌晨两点，油烟和噪音很大', '南关小学门口上下学时段车辆乱停，孩子过马路很危险', false],
    ['', '任何内容', false],
  ])('%s ~ %s: %s', (a, b, similar) => expect(similarity(a, b) >= 0.5).toBe(similar))
})
