/** @jsxRuntime automatic @jsxImportSource preact */
import { renderToString } from 'preact-render-to-string'
import {
  ACTIVITY_KIND_ZH,
  LEDGER_MEASURE_ZH,
  LEDGER_MEASURES,
  LEDGER_PRESETS,
  REPORT_STATUS_ZH,
  formatDate,
  formatDay,
  type ActivityKind,
  type LedgerPresetId,
  type MemberLedger,
  type ReportStatus,
} from '@mashangjian/shared'

export interface LedgerPageInput {
  ledger: MemberLedger & { preset: LedgerPresetId }
  /** Confirmed activities only; `pendingActivities` are those still waiting for review (not counted). */
  activities: { kind: ActivityKind; title: string; occurredOn: string; notes: string; stationName: string | null; place?: string }[]
  pendingActivities?: number
  reports: { title: string; status: ReportStatus; decidedBy: string | null; submittedAt: Date | string | null }[]
  generatedAt: Date
}

/** A4 portrait, black on white, no external fonts or hosts: it must print the same from any office PC. */
const CSS = `
*{box-sizing:border-box}
body{font:14px/1.6 "Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;color:#111;margin:0 auto;max-width:210mm;padding:12mm}
h1{font-size:22px;text-align:center;margin:0 0 4px}
.sub{text-align:center;color:#444;margin:0 0 16px}
h2{font-size:16px;border-left:4px solid #b71c1c;padding-left:8px;margin:20px 0 8px}
table{width:100%;border-collapse:collapse;margin:4px 0}
th,td{border:1px solid #777;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3;font-weight:600;white-space:nowrap}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.met{color:#1b5e20;font-weight:600}.unmet{color:#b71c1c;font-weight:600}
.muted{color:#666}
.sign{display:flex;justify-content:space-between;margin-top:28px}
.toolbar{text-align:right;margin-bottom:8px}
@page{size:A4;margin:15mm}
@media print{body{padding:0;max-width:none}.toolbar{display:none}tr,h2{break-inside:avoid;page-break-inside:avoid}h2{break-after:avoid}th{background:#eee !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}}
`

/** The 履职档案 is in Chinese: dates as zh-CN writes them, in Beijing time (shared/src/time/dates.ts). */
const cst = (at: Date | string) => formatDate(at, 'zh-CN', 'date')

function LedgerPage({ ledger, activities, pendingActivities = 0, reports, generatedAt }: LedgerPageInput) {
  const { member: m, year, counts } = ledger
  const presetName = ledger.preset === 'custom' ? '自定义目标' : LEDGER_PRESETS[ledger.preset].name
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${m.name} ${year}年度履职档案`}</title>
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <p class="toolbar muted">打印：Ctrl+P / ⌘P</p>
        <h1>{`${m.committeeName}委员${year}年度履职档案`}</h1>
        <p class="sub">{m.name}</p>
        <h2>基本情况</h2>
        <table>
          <tbody>
            <tr>
              <th>姓名</th>
              <td>{m.name}</td>
              <th>界别</th>
              <td>{m.sectorName ?? '—'}</td>
            </tr>
            <tr>
              <th>职务</th>
              <td>{m.title || '—'}</td>
              <th>所属工作站</th>
              <td>{m.stations.map((s) => s.name).join('、') || '—'}</td>
            </tr>
          </tbody>
        </table>
        <h2>{`履职目标（${presetName}）：完成 ${ledger.targetsMet} / ${ledger.targetsTotal} 项`}</h2>
        <table>
          <thead>
            <tr>
              <th>目标</th>
              <th>要求</th>
              <th>完成</th>
              <th>情况</th>
            </tr>
          </thead>
          <tbody>
            {ledger.targets.map((t) => (
              <tr>
                <td>{t.label}</td>
                <td class="n">{`≥ ${t.min}`}</td>
                <td class="n">{t.actual}</td>
                <td class={t.met ? 'met' : 'unmet'}>{t.met ? '已完成' : '未完成'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{`联系界别群众：${ledger.contactTarget.actual} 次（年度目标 ≥ ${ledger.contactTarget.min} 次，${ledger.contactTarget.met ? '已完成' : '未完成'}）`}</h2>
        <h2>履职统计</h2>
        <table>
          <tbody>
            {chunk([...LEDGER_MEASURES], 4).map((row) => (
              <tr>{row.flatMap((k) => [<th>{LEDGER_MEASURE_ZH[k]}</th>, <td class="n">{counts[k]}</td>])}</tr>
            ))}
          </tbody>
        </table>
        <p class="muted">
          收到诉求、接单按受理日期计；办结按办结日期计；诉求联系为委员在所办诉求中记录的联系次数；联系界别群众为委员登记的界别群众联系，按见面日期计；交办部门为委员将诉求交办职能部门的次数，按交办日期计。
        </p>
        <h2>{`履职活动（${activities.length}）`}</h2>
        <p class="muted" data-pending-activities={pendingActivities}>
          {`仅计入已确认的履职活动；委员自行登记、待确认 ${pendingActivities} 项，确认后计入。`}
        </p>
        {activities.length === 0 ? (
          <p class="muted">本年度暂无记录。</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>日期</th>
                <th>类别</th>
                <th>内容</th>
                <th>地点</th>
              </tr>
            </thead>
            <tbody>
              {activities.map((a) => (
                <tr>
                  <td>{formatDay(a.occurredOn, 'zh-CN', 'date')}</td>
                  <td>{ACTIVITY_KIND_ZH[a.kind]}</td>
                  <td>
                    {a.title}
                    {a.notes ? <div class="muted">{a.notes}</div> : null}
                  </td>
                  <td>{[a.place, a.stationName].filter(Boolean).join(' · ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h2>{`社情民意信息（${reports.length}）`}</h2>
        {reports.length === 0 ? (
          <p class="muted">本年度暂无报送。</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>报送日期</th>
                <th>标题</th>
                <th>状态</th>
                <th>采用单位</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr>
                  <td>{r.submittedAt ? cst(r.submittedAt) : '—'}</td>
                  <td>{r.title}</td>
                  <td>{REPORT_STATUS_ZH[r.status]}</td>
                  <td>{r.decidedBy ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div class="sign">
          <span>委员签名：</span>
          <span>审核：</span>
          <span>{`生成日期：${cst(generatedAt)}`}</span>
        </div>
      </body>
    </html>
  )
}

function chunk<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))
}

/** Preact escapes every text and attribute value; only CSS (ours) is inserted raw. */
export const renderLedgerPage = (input: LedgerPageInput) => `<!doctype html>${renderToString(<LedgerPage {...input} />)}`
