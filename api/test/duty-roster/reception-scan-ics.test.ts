import { and, asc, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { caseEvent, cases } from '../../src/db/schema'
import { DEMO_PASSWORD } from '../../src/seed/demo-data'
import { foldLine } from '../../src/duty-roster/reception-ics'
import { withDemoApp } from '../support/demo-app'
import { bearer, login } from '../support/fixtures'
import { postCase } from '../support/submit'

const DAY = 86_400_000
const text = (html: string) => /data-testid="reception">([^<]*)</.exec(html)?.[1] ?? null

/**
 * The demo station 东城 receives every Tuesday 09:00–11:30 (王建国、李秀兰) and on the 1st and 3rd Thursday
 * 15:00–17:30 (陈明、周文斌). The test clock starts on Monday 23 November 2026, 10:00 Beijing. The scan cache is
 * on (30 s), so a stale page would show.
 */
describe('reception days on the scan page, in routing and as an iCalendar feed', () => {
  const ctx = withDemoApp({ scanCacheSeconds: 30 })
  const page = async (code: string, lang = 'zh-CN') => (await ctx.t.app.inject({ url: `/q/${code}?lang=${lang}` })).body

  it('names the next reception day, then today’s receivers after midnight, not a cached page of yesterday', async () => {
    expect(text(await page(ctx.refs.stationCode))).toBe('下次接待日：11月24日（周二）09:00–11:30 · 东城街道委员工作站')
    expect(text(await page(ctx.refs.memberCode))).toBe('下次接待日：11月24日（周二）09:00–11:30 · 东城街道委员工作站')
    expect(text(await page(ctx.refs.stationCode, 'en'))).toBe('Next reception day: Tue, Nov 24 09:00–11:30 · 东城街道委员工作站')
    ctx.t.clock.advance(DAY)
    expect(text(await page(ctx.refs.stationCode))).toBe('今天接待：李秀兰、王建国 09:00–11:30')
    expect(text(await page(ctx.refs.memberCode))).toBe('今天接待：李秀兰、王建国 09:00–11:30')
    for (const lang of ['ug', 'kk-Arab-CN']) expect(text(await page(ctx.refs.stationCode, lang))).toContain('09:00–11:30')
  })

  it('a station-code submission on the reception day goes to a receiving member, reason on_duty', async () => {
    const res = await postCase(ctx.t.app, { code: ctx.refs.stationCode, description: '小区路灯坏了一个月', consent: 'on' })
    expect(res.statusCode, res.body).toBe(201)
    const db = ctx.t.database.db
    const [row] = await db.select({ id: cases.id, memberId: cases.memberId }).from(cases).where(eq(cases.publicNo, res.json<{ publicNo: string }>().publicNo))
    const [event] = await db
      .select({ data: caseEvent.data })
      .from(caseEvent)
      .where(and(eq(caseEvent.caseId, row!.id), eq(caseEvent.type, 'assigned')))
      .orderBy(asc(caseEvent.id))
    expect(event!.data.reason).toBe('on_duty')
  })

  it('a rule change shows on the page at once, though the page is cached', async () => {
    const token = (await login(ctx.t.app, 'station', DEMO_PASSWORD)).accessToken
    const base = `/api/v1/stations/${ctx.refs.stationId}`
    const roster = (await ctx.t.app.inject({ url: `${base}/duty-roster`, headers: bearer(token) })).json<{ rules: { id: string; kind: string }[] }>()
    const weekly = roster.rules.find((r) => r.kind === 'weekly')!
    const res = await ctx.t.app.inject({
      method: 'POST',
      url: `${base}/duty-exceptions`,
      headers: bearer(token),
      payload: { day: '2026-11-24', ruleId: weekly.id, note: '培训' },
    })
    expect(res.statusCode, res.body).toBe(201)
    // Tuesday 24 Nov cancelled: the next is Thursday 3 Dec (1st Thursday) 15:00–17:30.
    expect(text(await page(ctx.refs.stationCode))).toBe('下次接待日：12月1日（周二）09:00–11:30 · 东城街道委员工作站')
  })

  it('serves an RFC 5545 calendar: CRLF, folded lines of at most 75 octets, Asia/Shanghai times', async () => {
    const res = await ctx.t.app.inject({ url: `/api/v1/stations/${ctx.refs.stationId}/reception.ics` })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8')
    const body = res.body
    expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
    expect(body.endsWith('\r\n')).toBe(true)
    const lines = body.split('\r\n').slice(0, -1)
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75)
    const unfolded = body.replace(/\r\n /g, '').split('\r\n')
    expect(unfolded.slice(0, 2)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0'])
    expect(unfolded.at(-2)).toBe('END:VCALENDAR')
    expect(unfolded).toContain('BEGIN:VTIMEZONE')
    expect(unfolded).toContain('TZID:Asia/Shanghai')
    const events = body
      .replace(/\r\n /g, '')
      .split('BEGIN:VEVENT\r\n')
      .slice(1)
      .map((e) =>
        Object.fromEntries(
          e
            .split('\r\n')
            .filter((l) => l.includes(':'))
            .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
        ),
      )
    // Today (Tuesday 24 Nov) is cancelled for the weekly rule; the first events are 1 Dec and 3 Dec.
    expect(events[0]).toMatchObject({
      'DTSTART;TZID=Asia/Shanghai': '20261201T090000',
      'DTEND;TZID=Asia/Shanghai': '20261201T113000',
      SUMMARY: '东城街道委员工作站 委员接待：李秀兰、王建国',
    })
    expect(events[1]).toMatchObject({ 'DTSTART;TZID=Asia/Shanghai': '20261203T150000', SUMMARY: '东城街道委员工作站 委员接待：陈明、周文斌' })
    expect(events[0]!.DTSTAMP).toMatch(/^\d{8}T\d{6}Z$/)
    const uids = events.map((e) => e.UID)
    expect(new Set(uids).size).toBe(uids.length)
    expect((await ctx.t.app.inject({ url: '/api/v1/stations/00000000-0000-4000-8000-000000000000/reception.ics' })).statusCode).toBe(404)
  })

  it('folds long lines between characters, never inside a UTF-8 sequence', () => {
    const line = `SUMMARY:${'接待'.repeat(40)}`
    const folded = foldLine(line)
    const parts = folded.split('\r\n')
    expect(parts.length).toBeGreaterThan(1)
    for (const p of parts) expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(75)
    expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true)
    expect(folded.replace(/\r\n /g, '')).toBe(line)
  })
})
