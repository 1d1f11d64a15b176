import { useState } from 'preact/hooks'
import type { CaseSummary } from '@mashangjian/shared'
import { data, type OutboxEntry } from '../data'
import { errorText, t } from '../i18n'
import { useData } from '../use-data'
import { ActionSheet, MEMBER_ACTIONS, type MemberAction } from './action-sheet'

/** What the action said, in a line: "办结：已联系社区……", "联系群众（电话）：……". */
export function actionLine(e: OutboxEntry): string {
  const a = e.action as { type: string; reply?: string; body?: string; reason?: string; method?: string; question?: string }
  const text = a.reply ?? a.body ?? a.reason ?? a.question ?? ''
  const via = a.type === 'contact_log' && a.method ? t.contactVia(t.contactMethods[a.method] ?? a.method) : ''
  return `${t.actions[a.type] ?? a.type}${via}${text ? `${t.colon}${text}` : ''}`
}

/**
 * Refusals the member can correct in the sheet: any 400, and a 转办 or 交办 whose target the server would not take
 * (a member chosen from the list kept offline went on leave meanwhile, a department was deactivated: 409 CONFLICT)
 * — sending it again unchanged would only be refused again.
 */
const revisable = (e: OutboxEntry) =>
  (MEMBER_ACTIONS as readonly string[]).includes(e.action.type) &&
  (e.state === 'rejected' || (e.state === 'conflict' && (e.action.type === 'transfer' || e.action.type === 'handoff') && e.problem?.code === 'CONFLICT'))

/**
 * Actions the server refused, each with what the member did and what changed meanwhile; they decide to send
 * it again on the case as it is now, or to give it up. Nothing leaves the outbox without that decision.
 */
export function OutboxPanel({ caseId, c, onRevised }: { caseId?: string; c?: CaseSummary; onRevised?: (entry: OutboxEntry) => void }) {
  const { value: entries } = useData(() => data.outbox(), [])
  const [revising, setRevising] = useState<OutboxEntry | null>(null)
  const shown = (entries ?? []).filter((e) => e.state !== 'pending' && (!caseId || e.caseId === caseId))
  const sheet = revising && (
    <ActionSheet
      action={revising.action.type as MemberAction}
      caseId={revising.caseId}
      c={c?.id === revising.caseId ? c : undefined}
      revise={revising}
      onClose={(queued) => {
        setRevising(null)
        if (queued) onRevised?.(queued)
      }}
    />
  )
  if (shown.length === 0) return sheet || null
  return (
    <section id="outbox" class="outbox" aria-labelledby="outbox-title" data-testid="outbox-panel">
      <h2 id="outbox-title">{t.outboxTitle}</h2>
      <ul>
        {shown.map((e) => {
          const current = e.problem?.current as CaseSummary | undefined
          return (
            <li key={e.seq} class="conflict-card" data-testid="conflict" data-op-id={e.opId}>
              <h3>
                {t.conflictTitle} · {e.caseLabel}
              </h3>
              <p>
                <strong>
                  {t.yourAction}
                  {t.colon}
                </strong>
                {actionLine(e)}
              </p>
              <p>
                <strong>
                  {e.state === 'rejected' ? t.whyRefused : t.whatChanged}
                  {t.colon}
                </strong>
                {errorText(e.problem?.code, e.problem?.detail)}
              </p>
              {e.state === 'rejected' && (e.problem?.errors ?? []).length > 0 && (
                <ul class="field-msgs">
                  {e.problem!.errors!.map((f) => (
                    <li key={f.field}>{t.fieldMessage(f.field, f.message)}</li>
                  ))}
                </ul>
              )}
              {current && <p>{t.caseNowIs(t.status[current.status] ?? current.status, current.memberName)}</p>}
              <div class="buttons">
                {revisable(e) && (
                  <button type="button" class="button primary" data-testid="revise" onClick={() => setRevising(e)}>
                    {t.revise}
                  </button>
                )}
                {e.state === 'conflict' && e.problem?.code !== 'NOT_FOUND' && !revisable(e) && (
                  <button type="button" class="button" onClick={() => void data.reapply(e.seq!)}>
                    {t.reapply}
                  </button>
                )}
                <button
                  type="button"
                  class="button danger"
                  onClick={() => {
                    if (window.confirm(t.dropConfirm)) void data.drop(e.seq!)
                  }}
                >
                  {t.drop}
                </button>
              </div>
            </li>
          )
        })}
      </ul>
      {sheet}
    </section>
  )
}
