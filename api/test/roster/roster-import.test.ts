import { and, count, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MemberImportView, MemberView } from '@mashangjian/shared'
import { auditLog, member, memberImport, memberStation } from '../../src/db/schema'
import { createPiiCipher } from '../../src/privacy/pii-cipher'
import { createTestApp, type TestApp } from '../support/test-app'
import { bearer, createOrg, login, type Org } from '../support/fixtures'
import { confirm, csvFile, dryRun, HEADER, phones, pollImport, readXlsx, uploadRoster, xlsxFile, type Sheet } from '../support/roster-files'

const GOOD: Sheet = [
  HEADER,
  ['李明', '13900000001', '县', '经济界', 'A1', '工程师', '在职'],
  ['王芳', '139 0000 0002', '市级', '教育界', 'A1、A2', '', ''],
  ['赵强', '+86 13900000003', '县', '', '', '', '请假'],
]
const GOOD_ADDS = [
  { row: 2, name: '李明', phoneMasked: '139****0001', level: 'county', sector: '经济界', stations: ['A1'], title: '工程师', status: 'active' },
  { row: 3, name: '王芳', phoneMasked: '139****0002', level: 'city', sector: '教育界', stations: ['A1', 'A2'], title: '', status: 'active' },
  { row: 4, name: '赵强', phoneMasked: '139****0003', level: 'county', sector: null, stations: [], title: '', status: 'on_leave' },
]

describe('roster import', () => {
  let t: TestApp
  let org: Org
  const h: Record<string, Record<string, string>> = {}
  const db = () => t.database.db
  const membersOf = async (committeeId: string) => (await db().select({ n: count() }).from(member).where(eq(member.committeeId, committeeId)))[0]!.n

  beforeAll(async () => {
    t = await createTestApp()
    org = await createOrg(db())
    for (const [key, user] of Object.entries(org.users)) h[key] = bearer((await login(t.app, user.username)).accessToken)
    for (const [committeeId, name] of [
      [org.countyA.id, '经济界'],
      [org.countyA.id, '教育界'],
      [org.countyB.id, '经济界'],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/sectors', headers: h.cityAdmin, payload: { committeeId, name } })
      expect(res.statusCode, res.body).toBe(201)
    }
  })
  afterAll(() => t.close())

  /** The diff in short: what is added (names), updated and unchanged (rows), and each bad row's reasons. */
  const summary = (v: MemberImportView) => ({
    add: v.diff!.add.map((a) => a.name),
    update: v.diff!.update.map((u) => u.row),
    unchanged: v.diff!.unchanged.map((u) => u.row),
    errors: Object.fromEntries(v.diff!.errors.map((e) => [e.row, e.errors.map((x) => x.code)])),
  })

  describe('dry run of good and bad files (nothing is written)', () => {
    const cases: { name: string; file: () => Buffer | Promise<Buffer>; kind?: 'csv' | 'xlsx'; encoding?: string | null; expect: ReturnType<typeof summary> }[] =
      [
        {
          name: 'UTF-8 CSV with BOM',
          file: () => csvFile(GOOD, 'utf8bom'),
          encoding: 'utf-8',
          expect: { add: ['李明', '王芳', '赵强'], update: [], unchanged: [], errors: {} },
        },
        {
          name: 'GBK CSV (Excel’s plain CSV in China)',
          file: () => csvFile(GOOD, 'gbk'),
          encoding: 'gb18030',
          expect: { add: ['李明', '王芳', '赵强'], update: [], unchanged: [], errors: {} },
        },
        {
          name: 'UTF-8 CSV without BOM',
          file: () => csvFile(GOOD, 'utf8'),
          encoding: 'utf-8',
          expect: { add: ['李明', '王芳', '赵强'], update: [], unchanged: [], errors: {} },
        },
        {
          name: 'UTF-16 tab-separated (Excel’s Unicode text)',
          file: () => csvFile(GOOD, 'utf16'),
          encoding: 'utf-16le',
          expect: { add: ['李明', '王芳', '赵强'], update: [], unchanged: [], errors: {} },
        },
        {
          name: 'XLSX, phones typed as numbers, a title row above the header',
          file: () => xlsxFile(GOOD, { titleRow: '示范县政协委员名单' }),
          kind: 'xlsx',
          encoding: null,
          expect: { add: ['李明', '王芳', '赵强'], update: [], unchanged: [], errors: {} },
        },
        {
          name: 'the same phone twice',
          file: () => csvFile([...GOOD.slice(0, 3), ['周杰', '13900000001', '县', '', '', '', '']]),
          expect: { add: ['王芳'], update: [], unchanged: [], errors: { 2: ['duplicate_phone'], 4: ['duplicate_phone'] } },
        },
        {
          name: 'unknown station, and a station of another committee',
          file: () => csvFile([HEADER, ['李明', '13900000001', '县', '', 'Nowhere', '', ''], ['王芳', '13900000002', '县', '', 'A1、B1', '', '']]),
          expect: { add: [], update: [], unchanged: [], errors: { 2: ['unknown_station'], 3: ['unknown_station'] } },
        },
        {
          name: 'unknown sector, bad level, bad status, bad phone, empty name',
          file: () =>
            csvFile([
              HEADER,
              ['李明', '13900000001', '县', '农业界', 'A1', '', ''],
              ['王芳', '13900000002', '乡', '', 'A1', '', ''],
              ['赵强', '13900000003', '县', '', 'A1', '', '退休'],
              ['钱多', '12345', '县', '', 'A1', '', ''],
              ['', '13900000005', '县', '', 'A1', '', ''],
              ['孙丽', '13900000006', '省', '', 'A2', '', ''],
            ]),
          expect: {
            add: ['孙丽'],
            update: [],
            unchanged: [],
            errors: { 2: ['unknown_sector'], 3: ['bad_level'], 4: ['bad_status'], 5: ['bad_phone'], 6: ['missing_value'] },
          },
        },
        {
          name: 'short rows and blank lines (row numbers stay Excel’s)',
          file: () => Buffer.from(`\uFEFF${HEADER.join(',')}\r\n李明,13900000001\r\n\r\n王芳,13900000002,县\r\n`),
          expect: { add: ['王芳'], update: [], unchanged: [], errors: { 2: ['missing_value'] } },
        },
      ]
    it.each(cases)('$name', async (c) => {
      const before = await membersOf(org.countyA.id)
      const v = await dryRun(t.app, h.adminA!, await c.file())
      expect(v).toMatchObject({
        status: 'ready',
        fileKind: c.kind ?? 'csv',
        committeeId: org.countyA.id,
        progress: { phase: null, processed: v.progress.total },
      })
      if (c.encoding !== undefined) expect(v.encoding).toBe(c.encoding)
      expect(summary(v)).toEqual(c.expect)
      expect(v.counts).toEqual({ add: c.expect.add.length, update: 0, unchanged: 0, error: Object.keys(c.expect.errors).length })
      expect(await membersOf(org.countyA.id)).toBe(before)
    })

    it('shows what a new member would be, phone masked, and says which row repeats a phone', async () => {
      const v = await dryRun(t.app, h.adminA!, csvFile([...GOOD, ['周杰', '13900000001', '县', '', '', '', '']]))
      expect(v.diff!.add).toEqual([GOOD_ADDS[1], GOOD_ADDS[2]])
      expect(v.diff!.errors[0]).toEqual({
        row: 2,
        name: '李明',
        errors: [expect.objectContaining({ code: 'duplicate_phone', column: '手机号', otherRows: [5] })],
      })
      expect(JSON.stringify(v)).not.toContain('13900000001')
    })

    it.each([
      [
        'a missing column',
        () =>
          csvFile([
            ['姓名', '层级', '界别', '工作站'],
            ['李明', '县', '', 'A1'],
          ]),
        ['file.columns.手机号'],
      ],
      ['an empty file', () => Buffer.alloc(0), ['file']],
      ['only blank lines', () => Buffer.from('\r\n,,,\r\n'), ['file']],
      ['an old .xls workbook', () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]), ['file']],
      ['a damaged XLSX', () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 1)]), ['file']],
    ] as const)('refuses %s with a problem naming the file (nothing kept)', async (_name, file, fields) => {
      const res = await uploadRoster(t.app, h.adminA!, file())
      expect(res.statusCode, res.body).toBe(400)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' })
      expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(fields)
    })

    it('wants multipart', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports/members', headers: h.adminA, payload: { file: 'x' } })
      expect(res.statusCode).toBe(415)
    })
  })

  describe('confirming', () => {
    let first: MemberImportView
    it('applies a clean file in one go: members with encrypted phones, stations, audit entries', async () => {
      first = await dryRun(t.app, h.adminA!, csvFile(GOOD, 'gbk'), { filename: '名单.csv' })
      const res = await confirm(t.app, h.adminA!, first.id)
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json()).toMatchObject({ status: 'applied', mode: 'all', applied: { added: 3, updated: 0 }, fileName: '名单.csv' })
      const rows = await db()
        .select()
        .from(member)
        .where(and(eq(member.committeeId, org.countyA.id), eq(member.name, '王芳')))
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({ level: 'city', phoneMasked: '139****0002', status: 'active' })
      expect(createPiiCipher(t.config.secrets.piiKey).decrypt(rows[0]!.phoneEnc!)).toBe('13900000002')
      expect(rows[0]!.phoneHash).not.toContain('13900000002')
      const links = await db().select().from(memberStation).where(eq(memberStation.memberId, rows[0]!.id))
      expect(links.map((l) => l.stationId).sort()).toEqual([org.stationA1.id, org.stationA2.id].sort())
      const audits = await db()
        .select()
        .from(auditLog)
        .where(sql`${auditLog.detail}->>'importId' = ${first.id}`)
      expect(audits.map((a) => a.action).sort()).toEqual(['member.created', 'member.created', 'member.created'])
      expect(JSON.stringify(audits)).not.toContain('13900000002')
    })

    it('answers a second confirmation with a conflict', async () => {
      const res = await confirm(t.app, h.adminA!, first.id)
      expect(res.statusCode).toBe(409)
      expect(res.json().code).toBe('IMPORT_NOT_PENDING')
    })

    it('re-importing the same file (in another encoding and format) finds everything unchanged and changes nothing', async () => {
      const before = await db().select().from(member).where(eq(member.committeeId, org.countyA.id))
      for (const file of [csvFile(GOOD, 'gbk'), csvFile(GOOD, 'utf8bom'), await xlsxFile(GOOD)]) {
        const v = await dryRun(t.app, h.adminA!, file)
        expect(v.counts).toEqual({ add: 0, update: 0, unchanged: 3, error: 0 })
        const res = await confirm(t.app, h.adminA!, v.id)
        expect(res.json()).toMatchObject({ status: 'applied', applied: { added: 0, updated: 0 } })
      }
      const after = await db().select().from(member).where(eq(member.committeeId, org.countyA.id))
      expect(after).toEqual(before)
    })

    it('updates only what changed, and leaves fields whose cell is empty as they are', async () => {
      const v = await dryRun(
        t.app,
        h.adminA!,
        csvFile([
          HEADER,
          ['李明', '13900000001', '县', '经济界', 'A2', '高级工程师', ''],
          ['王芳', '13900000002', '市', '', '', '', '请假'],
          ['赵强', '13900000003', '县', '', '', '', ''],
        ]),
      )
      expect(v.counts).toEqual({ add: 0, update: 2, unchanged: 1, error: 0 })
      expect(v.diff!.update).toEqual([
        {
          row: 2,
          memberId: expect.any(String),
          name: '李明',
          phoneMasked: '139****0001',
          changes: [
            { field: 'title', from: '工程师', to: '高级工程师' },
            { field: 'stations', from: 'A1', to: 'A2' },
          ],
        },
        { row: 3, memberId: expect.any(String), name: '王芳', phoneMasked: '139****0002', changes: [{ field: 'status', from: 'active', to: 'on_leave' }] },
      ])
      expect((await confirm(t.app, h.adminA!, v.id)).json()).toMatchObject({ status: 'applied', applied: { added: 0, updated: 2 } })
      const li = (await t.app.inject({ url: `/api/v1/members/${v.diff!.update[0]!.memberId}`, headers: h.adminA })).json<MemberView>()
      expect(li).toMatchObject({ title: '高级工程师', stations: [{ id: org.stationA2.id, name: 'A2' }] })
    })

    it('adopts a member who has no phone yet, by name, instead of adding a second one', async () => {
      const v = await dryRun(t.app, h.adminA!, csvFile([HEADER, [org.memberA.name, '13900000020', '县', '', 'A1', '', '']]))
      expect(v.diff!.update).toEqual([
        expect.objectContaining({
          memberId: org.memberA.id,
          changes: [
            { field: 'phone', from: null, to: '139****0020' },
            { field: 'stations', from: '', to: 'A1' },
          ],
        }),
      ])
      expect((await confirm(t.app, h.adminA!, v.id)).json().applied).toEqual({ added: 0, updated: 1 })
    })

    it('imports nothing from a file with one bad row, unless told to take the valid rows', async () => {
      const file = csvFile([
        HEADER,
        ['新一', '13900000031', '县', '', 'A1', '', ''],
        ['新二', '13900000032', '县', '', 'Nowhere', '', ''],
        ['李明', '13900000001', '县', '经济界', 'A1', '', ''],
      ])
      const v = await dryRun(t.app, h.adminA!, file)
      expect(v.counts).toEqual({ add: 1, update: 1, unchanged: 0, error: 1 })
      const before = await db().select().from(member).where(eq(member.committeeId, org.countyA.id))
      const refused = await confirm(t.app, h.adminA!, v.id, 'all')
      expect(refused.statusCode).toBe(409)
      expect(refused.json().code).toBe('IMPORT_HAS_ERRORS')
      expect(await db().select().from(member).where(eq(member.committeeId, org.countyA.id))).toEqual(before)
      const res = await confirm(t.app, h.adminA!, v.id, 'valid_rows')
      expect(res.json()).toMatchObject({ status: 'applied', mode: 'valid_rows', applied: { added: 1, updated: 1 } })
      const names = (await db().select({ name: member.name }).from(member).where(eq(member.committeeId, org.countyA.id))).map((m) => m.name)
      expect(names).toContain('新一')
      expect(names).not.toContain('新二')
    })

    it('refuses to apply a dry run the roster has moved away from (someone edited a member meanwhile)', async () => {
      const v = await dryRun(
        t.app,
        h.adminA!,
        csvFile([HEADER, ['新三', '13900000033', '县', '', 'A1', '', ''], ['李明', '13900000001', '县', '', '', '总工程师', '']]),
      )
      const li = v.diff!.update[0]!.memberId
      expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/members/${li}`, headers: h.adminA, payload: { title: '主任' } })).statusCode).toBe(200)
      const before = await membersOf(org.countyA.id)
      const res = await confirm(t.app, h.adminA!, v.id)
      expect(res.statusCode).toBe(409)
      expect(res.json().code).toBe('IMPORT_OUTDATED')
      expect(await membersOf(org.countyA.id)).toBe(before)
      expect((await t.app.inject({ url: `/api/v1/imports/${v.id}`, headers: h.adminA })).json()).toMatchObject({
        status: 'failed',
        error: { code: 'IMPORT_OUTDATED' },
      })
    })

    it('reports work lost with its process (nothing moved for 5 minutes) as failed, and leaves fresh work alone', async () => {
      const insert = async (minutesAgo: number) =>
        (
          await db()
            .insert(memberImport)
            .values({
              committeeId: org.countyA.id,
              createdBy: org.users.adminA.id,
              status: 'applying',
              fileName: 'x.csv',
              fileKind: 'csv',
              totalRows: 900,
              expiresAt: new Date(Date.now() + 3_600_000),
              updatedAt: sql`now() - make_interval(mins => ${minutesAgo})`,
            })
            .returning()
        )[0]!.id
      const [lost, busy] = [await insert(10), await insert(1)]
      expect((await t.app.inject({ url: `/api/v1/imports/${lost}`, headers: h.adminA })).json()).toMatchObject({
        status: 'failed',
        error: { code: 'INTERRUPTED' },
      })
      expect((await t.app.inject({ url: `/api/v1/imports/${busy}`, headers: h.adminA })).json()).toMatchObject({
        status: 'applying',
        progress: { phase: 'applying', total: 900 },
      })
    })

    it('lets a dry run expire after a day', async () => {
      const v = await dryRun(t.app, h.adminA!, csvFile([HEADER, ['新四', '13900000034', '县', '', 'A1', '', '']]))
      t.clock.advance(25 * 3_600_000)
      const res = await confirm(t.app, h.adminA!, v.id)
      expect(res.statusCode).toBe(409)
      expect(res.json().code).toBe('IMPORT_NOT_PENDING')
      expect((await t.app.inject({ url: `/api/v1/imports/${v.id}`, headers: h.adminA })).json()).toMatchObject({ status: 'failed', error: { code: 'EXPIRED' } })
    })
  })

  describe('scope', () => {
    it('limits a station admin to their stations’ members and stations', async () => {
      const v = await dryRun(
        t.app,
        h.stationAdminA1!,
        csvFile([
          HEADER,
          ['王芳', '13900000002', '市', '', 'A1', '', ''], // in A1 and A2: A2 is kept, so nothing changes
          ['赵强', '13900000003', '县', '', 'A1', '', ''], // in no station of theirs
          ['新五', '13900000035', '县', '', '', '', ''], // a new member must join one of their stations
          ['新六', '13900000036', '县', '', 'A2', '', ''], // not their station
          ['新七', '13900000037', '县', '', 'A1', '', ''],
        ]),
      )
      expect(summary(v)).toEqual({
        add: ['新七'],
        update: [],
        unchanged: [2],
        errors: { 3: ['not_your_member'], 4: ['no_station_of_yours'], 5: ['unknown_station'] },
      })
    })

    it('shows an import only to admins whose scope covers it (a station admin: their own uploads)', async () => {
      const v = await dryRun(t.app, h.adminA!, csvFile(GOOD))
      for (const [who, status] of [
        ['adminA', 200],
        ['cityAdmin', 200],
        ['system', 200],
        ['adminB', 404],
        ['stationAdminA1', 404],
        ['memberA', 403],
      ] as const) {
        expect((await t.app.inject({ url: `/api/v1/imports/${v.id}`, headers: h[who] })).statusCode, who).toBe(status)
      }
      expect((await confirm(t.app, h.adminB!, v.id)).statusCode).toBe(404)
    })

    it('lists recent imports without their diffs, within the same scope', async () => {
      const mine = (await t.app.inject({ url: '/api/v1/imports?limit=5', headers: h.adminA })).json()
      expect(mine.total).toBeGreaterThan(5)
      expect(mine.items).toHaveLength(5)
      expect(mine.items.every((i: MemberImportView) => i.committeeId === org.countyA.id && i.diff === null)).toBe(true)
      const stamps = mine.items.map((i: MemberImportView) => i.createdAt)
      expect(stamps).toEqual([...stamps].sort().reverse())
      const station = (await t.app.inject({ url: '/api/v1/imports', headers: h.stationAdminA1 })).json()
      expect(station.total).toBe(1)
      expect(
        (await t.app.inject({ url: '/api/v1/imports', headers: h.adminB })).json().items.every((i: MemberImportView) => i.committeeId === org.countyB.id),
      ).toBe(true)
    })

    it('imports into a committee below the caller’s only', async () => {
      expect((await uploadRoster(t.app, h.cityAdmin!, csvFile(GOOD), { committeeId: org.countyA.id })).statusCode).toBe(201)
      const res = await uploadRoster(t.app, h.adminA!, csvFile(GOOD), { committeeId: org.countyB.id })
      expect(res.statusCode).toBe(400)
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'querystring.committeeId' })])
    })
  })

  it('handles 2,000 rows after answering: progress to poll, then the diff; confirming applies them all, again with progress', async () => {
    const n = 2000
    const numbers = phones(n, '1370000')
    const rows: Sheet = [HEADER, ...numbers.map((p, i) => [`委员${i + 1}`, p, '县', '经济界', 'B1', `职务${i % 7}`, i % 10 === 0 ? '请假' : '在职'])]
    const file = await xlsxFile(rows)
    const res = await uploadRoster(t.app, h.adminB!, file, { filename: 'big.xlsx' })
    expect(res.statusCode, res.body).toBe(202)
    expect(res.json()).toMatchObject({ status: 'validating', progress: { phase: 'validating', total: n }, diff: null })
    const checked = await pollImport(t.app, h.adminB!, res.json().id)
    const ready = checked.at(-1)!
    expect(ready).toMatchObject({ status: 'ready', counts: { add: n, update: 0, unchanged: 0, error: 0 }, progress: { processed: n, total: n } })
    const processed = checked.map((s) => s.progress.processed)
    expect(processed).toEqual([...processed].sort((a, b) => a - b))

    const applying = await confirm(t.app, h.adminB!, ready.id)
    expect(applying.statusCode).toBe(202)
    expect(applying.json()).toMatchObject({ status: 'applying', progress: { phase: 'applying', total: n } })
    const applied = (await pollImport(t.app, h.adminB!, ready.id)).at(-1)!
    expect(applied).toMatchObject({ status: 'applied', applied: { added: n, updated: 0 } })
    expect(await membersOf(org.countyB.id)).toBe(n)
    const linked = await db().select({ n: count() }).from(memberStation).where(eq(memberStation.stationId, org.stationB1.id))
    expect(linked[0]!.n).toBe(n)

    const again = await uploadRoster(t.app, h.adminB!, file)
    const settled = (await pollImport(t.app, h.adminB!, again.json().id)).at(-1)!
    expect(settled.counts).toEqual({ add: 0, update: 0, unchanged: n, error: 0 })
  })

  describe('template', () => {
    it('gives an XLSX with Chinese headers, an example row and the committee’s stations, that imports as it is', async () => {
      const res = await t.app.inject({ url: '/api/v1/imports/members/template.xlsx', headers: h.adminA })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      expect(res.headers['content-disposition']).toContain("filename*=UTF-8''")
      const book = await readXlsx(res.rawPayload)
      expect(book.sheets).toEqual(['委员名单', '填写说明'])
      expect(book.rows[0]).toEqual(HEADER)
      expect(book.rows[1]).toEqual(['张三', '13800138000', '县', '经济界', '东城街道委员工作站', '县工商联副主席', '在职'])
      // The example names a station this committee does not have: the dry run says so, for that row only.
      const v = await dryRun(t.app, h.adminA!, res.rawPayload)
      expect(summary(v)).toEqual({ add: [], update: [], unchanged: [], errors: { 2: ['unknown_station'] } })
    })

    it('gives a CSV in UTF-8 with a BOM', async () => {
      const res = await t.app.inject({ url: '/api/v1/imports/members/template.csv', headers: h.stationAdminA1 })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toMatch(/^text\/csv/)
      expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      expect(res.rawPayload.subarray(3).toString('utf8').split('\r\n')[0]).toBe(HEADER.join(','))
    })

    it('is for admins only', async () => {
      expect((await t.app.inject({ url: '/api/v1/imports/members/template.csv', headers: h.memberA })).statusCode).toBe(403)
      expect((await t.app.inject({ url: '/api/v1/imports/members/template.csv' })).statusCode).toBe(401)
    })
  })
})
