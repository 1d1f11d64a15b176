import type { ActivityKind, ReportStatus } from './reports'
import type { CaseChannel, CaseStatus, Rating } from './cases'
import type { LedgerMeasure } from './schemas/ledger'
import type { DepartmentKind } from './departments'

/**
 * Short Chinese labels for what the API writes into documents for staff (exports, printable ledger, report
 * PDF/DOCX). The resident-facing phrases live in i18n/; these are the office's terms.
 */
export const CASE_STATUS_ZH: Record<CaseStatus, string> = {
  submitted: '待派单',
  assigned: '待接单',
  accepted: '已接单',
  in_progress: '办理中',
  resolved: '已办结',
  reopened: '重办中',
  closed: '已结案',
  invalid: '不予受理',
  merged: '已并单',
}
export const CHANNEL_ZH: Record<CaseChannel, string> = { qr: '扫码', web: '网页', phone: '电话', visit: '来访', open311: 'Open311' }
export const RATING_ZH: Record<Rating, string> = { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意' }
export const ACTIVITY_KIND_ZH: Record<ActivityKind, string> = {
  meeting: '会议',
  reception_day: '委员接待日',
  visit: '走访',
  proposal: '提案',
  opinion_report: '社情民意信息',
  research: '视察调研',
  training: '学习培训',
  other: '其他',
}
export const REPORT_STATUS_ZH: Record<ReportStatus, string> = { draft: '草稿', submitted: '已报送', adopted: '已采用', rejected: '未采用' }
export const LEDGER_MEASURE_ZH: Record<LedgerMeasure, string> = {
  casesReceived: '收到诉求',
  casesAccepted: '接单',
  casesResolved: '办结',
  satisfiedRatings: '满意评价',
  contacts: '诉求联系',
  sectorContacts: '联系界别群众',
  handoffs: '交办部门',
  meetings: '会议',
  receptionDays: '接待日',
  visits: '走访',
  proposals: '提案',
  opinionReports: '社情民意',
  research: '视察调研',
  training: '学习培训',
  otherActivities: '其他活动',
}
export const DEPARTMENT_KIND_ZH: Record<DepartmentKind, string> = {
  bureau: '局/委/办',
  street_office: '街道办/乡镇',
  public_service: '公用事业单位',
  other: '其他',
}
