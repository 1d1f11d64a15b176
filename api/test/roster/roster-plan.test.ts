import { randomBytes } from 'node:crypto'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { createPiiCipher } from '../../src/privacy/pii-cipher'
import { createPhoneLookup } from '../../src/privacy/phone-lookup'
import { decodeCsvText, RosterFileError } from '../../src/imports/roster-file'
import { locateColumns, rosterRows } from '../../src/imports/roster-rows'
import { planFingerprint, planRows, type ExistingMember, type RosterContext } from '../../src/imports/roster-diff'

const key = randomBytes(32).toString('base64')
const phones = createPhoneLookup(key, createPiiCipher(key))
const sheet = (rows: string[][]) => ({ kind: 'csv' as const, encoding: 'utf-8', rows: rows.map((cells, i) => ({ row: i + 1, cells })) })
const HEADER = ['姓名', '手机号', '层级', '界别', '工作站', '职务', '状态']

describe('reading CSV text', () => {
  it.each([
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('姓名,界别', 'utf8')]), 'utf-8'],
    ['UTF-8 without BOM', Buffer.from('姓名,界别', 'utf8'), 'utf-8'],
    ['GBK (no marker; not valid UTF-8)', iconv.encode('姓名,界别', 'gbk'), 'gb18030'],
    ['GB18030 beyond GBK', iconv.encode('姓名,𠀀', 'gb18030'), 'gb18030'],
    ['UTF-16 LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('姓名,界别', 'utf-16le')]), 'utf-16le'],
  ])('%s', (_name, bytes, encoding) => {
    const decoded = decodeCsvText(bytes)
    expect(decoded.encoding).toBe(encoding)
    expect(decoded.text.startsWith('姓名,')).toBe(true)
  })
})

describe('finding the columns', () => {
  it.each([
    ['the template’s headers', HEADER, [0, 1, 2, 3, 4, 5, 6]],
    [
      'aliases, marks of required columns, another order',
      ['委员姓名*', '手机号码（必填）', '所属界别', '级别', '所属工作站', '工作单位及职务'],
      [0, 1, 3, 2, 4, 5, undefined],
    ],
    ['English headers', ['Name', 'Phone', 'Level', 'Sector', 'Stations'], [0, 1, 2, 3, 4, undefined, undefined]],
  ])('%s', (_name, header, expected) => {
    const { columns } = locateColumns(sheet([header]))
    expect(['name', 'phone', 'level', 'sector', 'stations', 'title', 'status'].map((k) => columns[k as keyof typeof columns])).toEqual(expected)
  })

  it('skips a title row above the header', () => {
    expect(locateColumns(sheet([['示范县政协委员名单'], HEADER])).headerRow).toBe(2)
  })

  it('names every missing required column', () => {
    try {
      locateColumns(sheet([['姓名', '职务']]))
      expect.unreachable()
    } catch (err) {
      expect((err as RosterFileError).errors.map((e) => e.field)).toEqual([
        'file.columns.手机号',
        'file.columns.层级',
        'file.columns.界别',
        'file.columns.工作站',
      ])
    }
  })
})

describe('planning rows', () => {
  const S1 = 'station-1'
  const S2 = 'station-2'
  const existing = (over: Partial<ExistingMember> & { id: string }): ExistingMember => ({
    name: '李明',
    level: 'county',
    sectorId: null,
    title: '',
    status: 'active',
    phoneHash: null,
    phoneMasked: null,
    stationIds: [],
    manageable: true,
    ...over,
  })
  const ctx = (members: ExistingMember[], manageableStations: RosterContext['manageableStations'] = 'all'): RosterContext => ({
    sectorsByName: new Map([['经济界', 'sector-1']]),
    sectorNamesById: new Map([['sector-1', '经济界']]),
    stationsByName: new Map([
      ['一站', [S1]],
      ['二站', [S2]],
      ['重名站', ['station-3', 'station-4']],
    ]),
    stationNamesById: new Map([
      [S1, '一站'],
      [S2, '二站'],
    ]),
    manageableStations,
    byPhoneHash: new Map(members.filter((m) => m.phoneHash).map((m) => [m.phoneHash!, m])),
    phonelessByName: members
      .filter((m) => !m.phoneHash)
      .reduce((map, m) => map.set(m.name, [...(map.get(m.name) ?? []), m]), new Map<string, ExistingMember[]>()),
  })
  const plan = (rows: string[][], c: RosterContext) => planRows(rosterRows(sheet([HEADER, ...rows]), phones), c)
  const kinds = (rows: string[][], c: RosterContext) => plan(rows, c).map((p) => (p.kind === 'error' ? p.errors.map((e) => e.code).join('+') : p.kind))
  const h1 = phones.hash('13900000001')

  it.each([
    ['a new member', [['李明', '13900000001', '县', '经济界', '一站', '', '']], [], 'all', ['add']],
    [
      'the same member, nothing new',
      [['李明', '13900000001', '县', '经济界', '一站', '', '']],
      [existing({ id: 'm1', phoneHash: h1, sectorId: 'sector-1', stationIds: [S1] })],
      'all',
      ['unchanged'],
    ],
    [
      'empty optional cells change nothing',
      [['李明', '13900000001', '县', '', '', '', '']],
      [existing({ id: 'm1', phoneHash: h1, sectorId: 'sector-1', stationIds: [S1], title: '主任', status: 'on_leave' })],
      'all',
      ['unchanged'],
    ],
    ['a station with a name two stations share', [['李明', '13900000001', '县', '', '重名站', '', '']], [], 'all', ['ambiguous_station']],
    ['a phoneless namesake is adopted', [['李明', '13900000001', '县', '', '', '', '']], [existing({ id: 'm1' })], 'all', ['update']],
    [
      'two phoneless namesakes: which?',
      [['李明', '13900000001', '县', '', '', '', '']],
      [existing({ id: 'm1' }), existing({ id: 'm2' })],
      'all',
      ['ambiguous_member'],
    ],
    [
      'two rows adopting one phoneless member',
      [
        ['李明', '13900000001', '县', '', '', '', ''],
        ['李明', '13900000002', '县', '', '', '', ''],
      ],
      [existing({ id: 'm1' })],
      'all',
      ['update', 'ambiguous_member'],
    ],
    [
      'station admin: a member of another station',
      [['李明', '13900000001', '县', '', '一站', '', '']],
      [existing({ id: 'm1', phoneHash: h1, stationIds: [S2], manageable: false })],
      new Set([S1]),
      ['not_your_member'],
    ],
    ['station admin: another station is unknown', [['李明', '13900000001', '县', '', '二站', '', '']], [], new Set([S1]), ['unknown_station']],
    ['station admin: a new member needs a station', [['李明', '13900000001', '县', '', '', '', '']], [], new Set([S1]), ['no_station_of_yours']],
    [
      'station admin: other stations are kept',
      [['李明', '13900000001', '县', '', '一站', '', '']],
      [existing({ id: 'm1', phoneHash: h1, stationIds: [S1, S2] })],
      new Set([S1]),
      ['unchanged'],
    ],
  ] as const)('%s', (_name, rows, members, manageable, expected) => {
    expect(
      kinds(
        rows.map((r) => [...r]),
        ctx([...members], manageable),
      ),
    ).toEqual(expected)
  })

  it('fingerprints what would be written, not the ciphertexts, and moves when what was shown moves', () => {
    const rows = [['李明', '13900000001', '县', '', '一站', '工程师', '']]
    const member = existing({ id: 'm1', phoneHash: h1, title: '教师' })
    const a = planFingerprint(plan(rows, ctx([member])))
    expect(planFingerprint(plan(rows, ctx([member])))).toBe(a)
    expect(planFingerprint(plan(rows, ctx([{ ...member, title: '校长' }])))).not.toBe(a)
  })
})
