import type { CaseSummary } from '@mashangjian/shared'
import { data, type OutboxEntry } from '../data'
import { errorText, t } from '../i18n'
import { useData } from '../use-data'

/** What the action said, in a line: "办结：已联系社区……". */
export function actionLine(e: OutboxEntry): string {
  const a = e.action as { type: string; reply?: string; body?: string; reason?: string }
  const text = a.reply ?? a.body ?? a.reason ?? ''
  return `${t.actions[a.type] ?? a.type}${text ? `：${text}` : ''}`
}

/**
 * Actions the server refused, each with what the member did and what changed meanwhile; they decide to send
 * it again on the case as it is now, or to give it up. Nothing leaves the outbox without that decision.
 */
export function OutboxPanel({ caseId }: { caseId?: string }) {
  const { value: entries } = useData(() => data.outbox(), [])
  const shown = (entries ?? []).filter((e) => e.state !== 'pending' && (!caseId || e.caseId === caseId))
  if (shown.length === 0) return null
  return (
    <section id="outbox" class="outbox" aria-labelledby="outbox-title" data-testid="outbox-panel">
      <h2 id="outbox-title">{t.outboxTitle}</h2>
      <ul>
        {shown.map((e) => {
          const current = e.problem?.current as CaseSummary | undefined
          return (
            <li key={e.seq} class="conflict-card" data-testid="conflict" data-op-id={e.opId}>
              <h3>{t.conflictTitle} · {e.caseLabel}</h3>
              <p><strong>{t.yourAction}：</strong>{actionLine(e)}</p>
              <p><strong>{t.whatChanged}：</strong>{errorText(e.problem?.code, e.problem?.detail)}</p>
              {current && <p>{t.caseNowIs(t.status[current.status] ?? current.status, current.memberName)}</p>}
              <div class="buttons">
                {e.state === 'conflict' && e.problem?.code !== 'NOT_FOUND' && (
                  <button type="button" class="button" onClick={() => void data.reapply(e.seq!)}>{t.reapply}</button>
                )}
                <button type="button" class="button danger" onClick={() => { if (window.confirm(t.dropConfirm)) void data.drop(e.seq!) }}>{t.drop}</button>
              </div>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
