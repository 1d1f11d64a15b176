import { Type, type Static } from 'typebox'
import { DEPARTMENT_KINDS } from '../departments'
import { AccessTokenParam, Nullable, Timestamp, Uuid } from './common'
import { DashboardPeriodProperties, DashboardScopeProperties, DashboardScopeView } from './dashboard'

/**
 * The dashboard's department figures (issue 14, like 12345's 承办单位 ranking): per 职能部门, the hand-offs (交办) of
 * the scope's cases sent in the period (Beijing days, by sent_at), what became of them as of now, 签收 and reply
 * times, and the rates of api/src/metrics/department-rates.ts.
 */
export const DepartmentFiguresQuery = Type.Object({ ...DashboardScopeProperties, ...DashboardPeriodProperties }, { additionalProperties: false })
export type DepartmentFiguresQuery = Static<typeof DepartmentFiguresQuery>

/** The same figures as a CSV/XLSX download (the token may ride in the query, like the other exports). */
export const DepartmentExportQuery = Type.Object(
  { ...DashboardScopeProperties, ...DashboardPeriodProperties, access_token: AccessTokenParam },
  { additionalProperties: false },
)
export type DepartmentExportQuery = Static<typeof DepartmentExportQuery>

const Count = Type.Integer({ minimum: 0 })
const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }))
const Minutes = Nullable(Type.Number({ minimum: 0 }))

export const DepartmentCountsView = Type.Object({
  /** Hand-offs sent in the period, withdrawn ones included (the department was asked). */
  handoffs: Count,
  /** Of those, taken back by the member or desk before the department ended them: not measured. */
  withdrawn: Count,
  /** 答复 at all, and no later than the reply deadline. */
  answered: Count,
  answeredOnTime: Count,
  /** 退回: "not our matter". */
  returned: Count,
  /** Still open past the deadline now, or expired after the deadline without an answer. */
  overdueUnanswered: Count,
})
export type DepartmentCountsView = Static<typeof DepartmentCountsView>

export const DepartmentRatesView = Type.Object({
  /** 按时答复率 = answered on time / (answered + returned + overdue unanswered). */
  onTimeRate: Rate,
  /** 退回率 = returned / (answered + returned). */
  returnedShare: Rate,
  /** 答复率 = answered / hand-offs not withdrawn. */
  answerRate: Rate,
})

const Durations = {
  /**
   * 签收用时: median minutes from sending to 签收, over the hand-offs the department signed for; an answer or a
   * return without a separate 签收 counts as the 签收 (the hand-off machine's rule).
   */
  medianAckMinutes: Minutes,
  /** 答复用时: median minutes from sending to the answer, over the answered hand-offs (a return is not a reply). */
  medianReplyMinutes: Minutes,
}

export const DepartmentFigure = Type.Object({
  /** 1 = best on-time rate; null: nothing of this department was due yet (listed after the ranked ones). */
  rank: Nullable(Type.Integer({ minimum: 1 })),
  departmentId: Uuid,
  name: Type.String(),
  kind: Type.Enum(DEPARTMENT_KINDS),
  active: Type.Boolean(),
  counts: DepartmentCountsView,
  rates: DepartmentRatesView,
  ...Durations,
})
export type DepartmentFigure = Static<typeof DepartmentFigure>

export const DepartmentFigures = Type.Object({
  scope: DashboardScopeView,
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  /** "Now" for the open hand-offs: whether they are past their deadline is decided at this instant (live figures). */
  generatedAt: Timestamp,
  /** All departments together (medians over every hand-off, not a median of medians). */
  totals: Type.Object({ counts: DepartmentCountsView, rates: DepartmentRatesView, ...Durations }),
  /**
   * Ranked departments first (rank 1, 2, …), then those with nothing due. A committee lists every active
   * department of its subtree, with or without hand-offs; a station lists the departments its cases went to.
   */
  items: Type.Array(DepartmentFigure),
})
export type DepartmentFigures = Static<typeof DepartmentFigures>
