import type { CaseExportQuery, DepartmentExportQuery, ExportFormat, LedgerExportQuery } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import type { AuditWriter } from '../audit/audit-log'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import type { MemberCasesRepo } from '../cases/member-cases-repo'
import type { LedgerService } from '../ledger/ledger-service'
import type { DepartmentFiguresService } from '../dashboard/department-figures-service'
import type { DepartmentFiguresRepo } from '../dashboard/department-figures-repo'
import { caseColumns, departmentColumns, ledgerColumns, type CaseExportRow, type DepartmentRow, type LedgerRow } from './export-columns'
import type { TableExport } from './table-stream'

/** Cases read per query while streaming: keyset pages like the inbox's, so page 2,000 costs what page 1 does. */
const PAGE = 500

/**
 * CSV/XLSX exports of cases, ledgers and the department figures, within the caller's scope and with the list endpoints' filters. The
 * service hands the route a row source and an audit callback; table-stream.ts streams. Every export is
 * audit-logged when it ends: who, which filters, how many rows, whether the download completed.
 */
export function createExportsService({
  db,
  cases,
  handoffs,
  ledger,
  departmentFigures,
  audit,
  clock,
}: {
  db: Db
  cases: MemberCasesRepo
  /** Hand-off counts per exported case (the dashboard's department figures). */
  handoffs: DepartmentFiguresRepo
  ledger: LedgerService
  departmentFigures: DepartmentFiguresService
  audit: AuditWriter
  clock: Clock
}) {
  const recorder =
    (actor: Actor, ip: string | null, what: 'cases' | 'ledgers' | 'departments', format: ExportFormat, filters: Record<string, unknown>) =>
    async (rows: number, completed: boolean) => {
      await audit.record(db, {
        actorUserId: actor.userId,
        actorIp: ip,
        action: `export.${what}`,
        targetKind: 'export',
        targetId: what,
        detail: { format, filters, rows, completed },
      })
    }

  return {
    cases(actor: Actor, query: CaseExportQuery, format: ExportFormat, ip: string | null): TableExport<CaseExportRow> {
      const now = clock.now()
      /** Newest first within each committee of the caller's subtree (tree order); one keyset walk for station admins. */
      async function* rows(): AsyncGenerator<CaseExportRow> {
        for (const committeeId of (await cases.scopeCommittees(actor)) ?? [undefined]) {
          let after: { createdAt: Date; id: string } | undefined
          for (;;) {
            const page = await cases.list(actor, { ...query, committeeId }, now, PAGE, after)
            // One read per page for the 交办数 column.
            const counts = await handoffs.countsByCase(page.rows.map((c) => c.id))
            yield* page.rows.map((c) => ({ ...c, handoffs: counts.get(c.id) ?? 0 }))
            if (!page.more) break
            const last = page.rows.at(-1)!
            after = { createdAt: last.createdAt, id: last.id }
          }
        }
      }
      return {
        format,
        filename: 'cases',
        sheetName: '诉求',
        columns: caseColumns(now),
        rows: rows(),
        onDone: recorder(actor, ip, 'cases', format, { ...query }),
      }
    },

    /** Checks the scope first (404/403 as problem+json, before any byte is sent), then streams every member's ledger. */
    async ledgers(actor: Actor, query: LedgerExportQuery, format: ExportFormat, ip: string | null): Promise<TableExport<LedgerRow>> {
      const scope = { kind: query.scope, id: query.id }
      await ledger.checkListScope(actor, scope)
      return {
        format,
        filename: 'ledgers',
        sheetName: '履职台账',
        columns: ledgerColumns(),
        rows: ledger.each(actor, scope, query.year),
        onDone: recorder(actor, ip, 'ledgers', format, { ...query }),
      }
    },

    /**
     * The dashboard's department figures of a scope and period, a line per department in ranking order and a
     * 合计 line. Computed (and the scope checked: 403/404 as problem+json) before any byte is sent.
     */
    async departments(
      actor: Actor,
      query: Omit<DepartmentExportQuery, 'access_token'>,
      format: ExportFormat,
      ip: string | null,
    ): Promise<TableExport<DepartmentRow>> {
      const figures = await departmentFigures.figures(actor, query)
      async function* rows(): AsyncGenerator<DepartmentRow> {
        yield* figures.items
        yield { rank: null, name: '合计', kind: null, ...figures.totals }
      }
      return {
        format,
        filename: 'departments',
        sheetName: '职能部门',
        columns: departmentColumns(),
        rows: rows(),
        onDone: recorder(actor, ip, 'departments', format, { ...query, from: figures.from, to: figures.to }),
      }
    },
  }
}
export type ExportsService = ReturnType<typeof createExportsService>
