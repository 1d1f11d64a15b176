import {
  CASE_STATUS_ZH,
  CHANNEL_ZH,
  DEPARTMENT_KIND_ZH,
  LEDGER_MEASURE_ZH,
  LEDGER_MEASURES,
  RATING_ZH,
  type DepartmentFigure,
  type LedgerPresetId,
  type MemberLedger,
} from '@mashangjian/shared'
import type { LoadedCase } from '../cases/member-cases-repo'
import { isOverdue } from '../cases/case-views'
import { maskPiiInText } from '../privacy/mask-text'
import type { ExportColumn } from './table-stream'

/** A case as exported: the loaded case and how many times it was handed to a 职能部门 (交办, any outcome). */
export type CaseExportRow = LoadedCase & { handoffs: number }

/**
 * What an export of cases holds. Only the masked phone ever leaves (never the ciphertext or a decryption), and
 * phone or ID numbers a resident typed into the description are masked too.
 */
export function caseColumns(now: Date): ExportColumn<CaseExportRow>[] {
  return [
    { header: '编号', width: 18, value: (c) => c.publicNo },
    { header: '状态', width: 10, value: (c) => CASE_STATUS_ZH[c.status] },
    { header: '渠道', width: 8, value: (c) => CHANNEL_ZH[c.channel] },
    { header: '紧急', width: 6, value: (c) => (c.priority === 'urgent' ? '是' : '否') },
    { header: '工作站', width: 22, value: (c) => c.stationName },
    { header: '委员', width: 10, value: (c) => c.memberName },
    { header: '类别', width: 12, value: (c) => c.categoryNames?.['zh-CN'] ?? null },
    { header: '诉求内容', width: 50, value: (c) => maskPiiInText(c.description) },
    { header: '地点', width: 20, value: (c) => (c.locationText ? maskPiiInText(c.locationText) : null) },
    { header: '群众电话', width: 14, value: (c) => c.residentPhoneMasked },
    { header: '受理时间', width: 17, value: (c) => c.createdAt },
    { header: '接单时限', width: 17, value: (c) => c.acceptDueAt },
    { header: '接单时间', width: 17, value: (c) => c.acceptedAt },
    { header: '办结时限', width: 17, value: (c) => c.resolveDueAt },
    { header: '办结时间', width: 17, value: (c) => c.resolvedAt },
    { header: '超期', width: 6, value: (c) => (isOverdue(c, now) ? '是' : '否') },
    { header: '评价', width: 10, value: (c) => (c.rating ? RATING_ZH[c.rating] : null) },
    { header: '重办次数', width: 8, value: (c) => c.reopenCount },
    { header: '交办数', width: 8, value: (c) => c.handoffs },
  ]
}

export type LedgerRow = MemberLedger & { preset: LedgerPresetId }

/** One line per member: who, every ledger measure, then each target as "actual/min". */
export function ledgerColumns(): ExportColumn<LedgerRow>[] {
  return [
    { header: '姓名', width: 10, value: (l) => l.member.name },
    { header: '政协', width: 16, value: (l) => l.member.committeeName },
    { header: '界别', width: 14, value: (l) => l.member.sectorName },
    { header: '职务', width: 20, value: (l) => l.member.title },
    { header: '工作站', width: 24, value: (l) => l.member.stations.map((s) => s.name).join('、') },
    { header: '年度', width: 6, value: (l) => l.year },
    ...LEDGER_MEASURES.map((m): ExportColumn<LedgerRow> => ({ header: LEDGER_MEASURE_ZH[m], width: 9, value: (l) => l.counts[m] })),
    { header: '联系界别群众目标', width: 10, value: (l) => `${l.contactTarget.actual}/${l.contactTarget.min}` },
    { header: '目标完成', width: 10, value: (l) => `${l.targetsMet}/${l.targetsTotal}` },
    {
      header: '未完成目标',
      width: 40,
      value: (l) =>
        l.targets
          .filter((t) => !t.met)
          .map((t) => `${t.label}（${t.actual}/${t.min}）`)
          .join('；'),
    },
  ]
}

/** A department's line of the figures export; `rank` null for the totals line and for departments with nothing due. */
export type DepartmentRow = Omit<DepartmentFigure, 'kind' | 'active' | 'departmentId'> & { kind: DepartmentFigure['kind'] | null }

/** Shares as percentages with two decimals (75.5 = 75.50 %), durations in hours: what a spreadsheet reader expects. */
const percent = (r: number | null) => (r === null ? null : Math.round(r * 10_000) / 100)
const hours = (minutes: number | null) => (minutes === null ? null : Math.round(minutes / 6) / 10)

/** One line per 职能部门 in ranking order (the dashboard's table), then a 合计 line. */
export function departmentColumns(): ExportColumn<DepartmentRow>[] {
  return [
    { header: '名次', width: 6, value: (d) => d.rank },
    { header: '职能部门', width: 22, value: (d) => d.name },
    { header: '类别', width: 14, value: (d) => (d.kind ? DEPARTMENT_KIND_ZH[d.kind] : null) },
    { header: '交办数', width: 8, value: (d) => d.counts.handoffs },
    { header: '撤回', width: 6, value: (d) => d.counts.withdrawn },
    { header: '已答复', width: 8, value: (d) => d.counts.answered },
    { header: '按时答复', width: 8, value: (d) => d.counts.answeredOnTime },
    { header: '退回', width: 6, value: (d) => d.counts.returned },
    { header: '超期未答复', width: 10, value: (d) => d.counts.overdueUnanswered },
    { header: '签收用时中位数（小时）', width: 12, value: (d) => hours(d.medianAckMinutes) },
    { header: '答复用时中位数（小时）', width: 12, value: (d) => hours(d.medianReplyMinutes) },
    { header: '按时答复率（%）', width: 10, value: (d) => percent(d.rates.onTimeRate) },
    { header: '退回率（%）', width: 10, value: (d) => percent(d.rates.returnedShare) },
    { header: '答复率（%）', width: 10, value: (d) => percent(d.rates.answerRate) },
  ]
}
