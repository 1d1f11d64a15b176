import { describe, expect, it } from 'vitest'
import { h, type VNode } from 'preact'
import { LEDGER_MEASURES, translator, type Locale } from '@mashangjian/shared'
import { renderPage, type PageContext } from '../src/public/pages/layout'
import { ScanPage } from '../src/public/pages/scan-page'
import { TrackingPage } from '../src/public/pages/tracking-page'
import { DepartmentPage } from '../src/handoffs/pages/department-page'
import { renderLedgerPage } from '../src/ledger/ledger-page'
import { reportPdf } from '../src/opinion-reports/report-documents'
import { AT, DAY, rowsOf, stripIsolates } from './support/dates-table'
import { pdfText, popplerMissing } from './support/pdf-tools'

/**
 * Issue 15: one instant on every server-rendered surface in every locale it supports, compared with the
 * hand-written table in support/dates-table.ts (the console and the member app: web/test/dates-everywhere.test.ts).
 */
const at = new Date(AT)
const ctx = (locale: Locale): PageContext => ({ locale, t: translator(locale), path: '/x' })
/** The page's text as read: tags dropped, isolates stripped, whitespace collapsed. */
const text = (html: string) =>
  stripIsolates(html)
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')

/** `expected` as a whole date: not a piece of a longer one ("04.12.2026" does not read "4.12.2026"). */
const wholeDate = (expected: string) => new RegExp(`(^|[^\\d.])${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\d.]|$)`)

/** A page component with its props, as the routes render it. */
const page = <P>(component: (props: P) => VNode, props: P) => h(component as never, props as never) as VNode

const ID = '00000000-0000-4000-8000-000000000001'

describe('one date on every surface, as the table says', () => {
  it.each(rowsOf('scanDuplicate'))('scan page duplicate hint in %s reads %s', (locale, expected) => {
    const html = renderPage(
      page(ScanPage, {
        ctx: ctx(locale),
        model: {
          kind: 'member',
          code: 'ABCD2345',
          committeeName: '示例县政协',
          categories: [],
          sla: { acceptHours: 24, resolveDays: 7 },
          member: { id: ID, name: '王委员', title: '委员', level: 'county', active: true, sectorName: null, hasPhoto: false },
          station: null,
          reception: { today: [], next: null },
          retentionYears: 3,
        },
        duplicate: { publicNo: 'DEMO-2026-000001', categoryNames: null, createdAt: at, excerpt: '路灯不亮' },
      }),
    )
    const hint = /<h2>[^<]*<\/h2>\s*<p>([^<]*)<\/p>/.exec(html)?.[1] ?? ''
    expect(stripIsolates(hint)).toMatch(wholeDate(expected))
  })

  it.each(rowsOf('trackingTimeline'))('tracking page timeline and expected answer in %s read %s', (locale, expected) => {
    const html = renderPage(
      page(TrackingPage, {
        ctx: ctx(locale),
        secret: 's'.repeat(32),
        model: {
          publicNo: 'DEMO-2026-000001',
          status: 'accepted',
          role: 'owner',
          committeeName: '示例县政协',
          stationName: null,
          memberName: '王委员',
          categoryNames: null,
          expectedBy: at,
          canRate: false,
          rating: null,
          events: [{ type: 'submitted', body: '', occurredAt: at }],
          mergedInto: null,
          mergedFrom: null,
          canAddInfo: false,
          photos: [],
          erasedAt: null,
          canErase: false,
        },
      }),
    )
    const timeline = /data-testid="timeline">[\s\S]*?<span class="muted">([^<]*)<\/span>/.exec(html)?.[1] ?? ''
    expect(stripIsolates(timeline)).toBe(expected)
    expect(text(html)).toContain(translator(locale)('track.expected', { date: expected }).replace(/[\u2066-\u2069]/g, ''))
  })

  it.each(rowsOf('departmentDue'))('department page deadline in %s reads %s', (_locale, expected) => {
    const html = renderPage(
      page(DepartmentPage, {
        secret: 'd'.repeat(32),
        model: {
          status: 'sent',
          departmentName: '县住建局',
          committeeName: '示例县政协',
          publicNo: 'DEMO-2026-000001',
          categoryName: null,
          question: '请核实',
          askedBy: null,
          stationName: null,
          dueAt: at,
          overdue: false,
          description: '路灯不亮',
          locationText: null,
          photoIds: [],
        },
      }),
    )
    expect(text(html)).toMatch(wholeDate(expected))
  })

  it.each(rowsOf('ledgerPage'))('履职档案 in %s reads %s for a report and an activity', (_locale, expected) => {
    const html = renderLedgerPage({
      ledger: {
        preset: 'custom',
        member: {
          id: ID,
          name: '王委员',
          title: '委员',
          level: 'county',
          status: 'active',
          committeeId: ID,
          committeeName: '示例县政协',
          sectorName: null,
          stations: [],
        },
        year: 2026,
        counts: Object.fromEntries(LEDGER_MEASURES.map((m) => [m, 0])) as never,
        targets: [],
        contactTarget: { min: 0, actual: 0, met: true },
        targetsMet: 0,
        targetsTotal: 0,
      },
      activities: [{ kind: 'meeting', title: '视察', occurredOn: DAY, notes: '', stationName: null }],
      reports: [{ title: '关于路灯', status: 'submitted', decidedBy: null, submittedAt: at }],
      generatedAt: at,
    })
    const cells = [...html.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1])
    expect(cells.filter((c) => c === expected)).toHaveLength(2)
    expect(text(html)).toContain(`生成日期：${expected}`)
  })

  it.skipIf(popplerMissing).each(rowsOf('reportPdf'))('社情民意 PDF in %s reads %s (pdftotext)', async (_locale, expected) => {
    const iso = at.toISOString()
    const doc = await reportPdf({
      committeeName: '示例县政协',
      report: {
        id: ID,
        committeeId: ID,
        title: '关于路灯的建议',
        status: 'submitted',
        memberId: null,
        memberName: '王委员',
        authorUserId: null,
        authorName: null,
        decidedBy: null,
        caseCount: 1,
        submittedAt: iso,
        decidedAt: null,
        createdAt: iso,
        updatedAt: iso,
        summary: '路灯不亮',
        suggestion: '修复',
        cases: [{ id: ID, publicNo: 'DEMO-2026-000001', status: 'accepted', categoryNames: null, stationName: null, description: '路灯不亮', createdAt: iso }],
        hiddenCases: 0,
        nextStatuses: [],
      },
    })
    const chunks: Buffer[] = []
    for await (const c of doc) chunks.push(c as Buffer)
    const pdf = pdfText(Buffer.concat(chunks)).replace(/\s+/g, '')
    expect(pdf).toContain(`报送日期：${expected}`)
    expect(pdf).toContain(`，${expected}）`)
  })
})
