import { useState } from 'preact/hooks'
import { isOpenHandoff, type HandoffView } from '@mashangjian/shared'
import { data, type OutboxEntry } from '../data'
import { deadlineText, t } from '../i18n'
import { useKeptPhotos } from './case-photos'

/** Late: still open and past its deadline (or marked so by the server's sweep). */
export const handoffLate = (h: HandoffView, now: number) => isOpenHandoff(h.status) && (h.overdueAt !== null || Date.parse(h.dueAt) < now)

/**
 * 交办 on the member's case page: each hand-off (newest first) with its department, status in words, deadline (red
 * when late), the question, and what the department said (the answer and its photos, or why it returned it). An
 * answered one offers 转述答复并办结 (the resolve sheet with the answer filled in); an open one 撤回 (queued in the
 * outbox like any action, so it works offline). Hand-offs made on this phone and not yet sent show on top.
 */
export function HandoffList({
  caseId,
  handoffs,
  pending,
  now,
  canResolve,
  canWithdraw,
  onRelay,
  onQueued,
}: {
  caseId: string
  handoffs: HandoffView[]
  pending: OutboxEntry[]
  now: number
  canResolve: boolean
  canWithdraw: boolean
  onRelay: (answer: string) => void
  onQueued: (entry: OutboxEntry) => void
}) {
  const queued = pending.filter((e) => e.action.type === 'handoff')
  const withdrawing = new Set(pending.flatMap((e) => (e.action.type === 'withdraw_handoff' ? [e.action.handoffId] : [])))
  if (handoffs.length === 0 && queued.length === 0) return null
  return (
    <section aria-labelledby="handoffs-title" class="handoffs" data-testid="handoffs">
      <h3 id="handoffs-title">{t.handoffsTitle}</h3>
      <ul class="handoff-list">
        {queued.map((e) => (
          <li key={`p${e.seq}`} class="handoff-card pending" data-testid="handoff-pending">
            <p class="row-top">
              <span class="badge pending">{t.handoffPending}</span>
            </p>
            {e.action.type === 'handoff' && (
              <p>
                <strong>
                  {t.handoffQuestionLabel}
                  {t.colon}
                </strong>
                {e.action.question}
              </p>
            )}
          </li>
        ))}
        {handoffs.map((h) => (
          <HandoffCard
            key={h.id}
            caseId={caseId}
            h={h}
            now={now}
            withdrawing={withdrawing.has(h.id)}
            canResolve={canResolve}
            canWithdraw={canWithdraw}
            onRelay={onRelay}
            onQueued={onQueued}
          />
        ))}
      </ul>
    </section>
  )
}

function HandoffCard({
  caseId,
  h,
  now,
  withdrawing,
  canResolve,
  canWithdraw,
  onRelay,
  onQueued,
}: {
  caseId: string
  h: HandoffView
  now: number
  withdrawing: boolean
  canResolve: boolean
  canWithdraw: boolean
  onRelay: (answer: string) => void
  onQueued: (entry: OutboxEntry) => void
}) {
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const photos = useKeptPhotos(h.photos.map((p) => p.id))
  const late = handoffLate(h, now)
  const open = isOpenHandoff(h.status)
  const titleId = `handoff-${h.id}`

  async function withdraw() {
    if (busy) return
    setBusy(true)
    try {
      onQueued(await data.act(caseId, { type: 'withdraw_handoff', handoffId: h.id }))
    } finally {
      setBusy(false)
      setAsking(false)
    }
  }

  return (
    <li class="handoff-card" data-testid="handoff" data-status={h.status} data-handoff-id={h.id}>
      <h4 id={titleId} class="row-top">
        <span>{h.departmentName}</span>
        <span class={`status h-${h.status}`} data-testid="handoff-status">
          {t.handoffStatus[h.status] ?? h.status}
        </span>
        {withdrawing && <span class="badge pending">{t.handoffWithdrawPending}</span>}
      </h4>
      <p class={late ? 'deadline late' : 'deadline'} data-testid="handoff-due" data-late={late ? 'true' : undefined}>
        {t.handoffDue(deadlineText(h.dueAt))}
        {late ? ` · ${t.handoffLate}` : ''}
      </p>
      <p>
        <strong>
          {t.handoffQuestionLabel}
          {t.colon}
        </strong>
        {h.question}
      </p>
      {h.createdByName && <p class="hint">{t.handoffBy(h.createdByName)}</p>}
      {h.status === 'answered' && h.answer && (
        <div class="handoff-answer">
          <p>
            <strong>
              {t.handoffAnswer}
              {t.colon}
            </strong>
            <span data-testid="handoff-answer">{h.answer}</span>
          </p>
          {h.answeredAt && <p class="hint">{t.handoffAnsweredBy(h.responderName, deadlineText(h.answeredAt))}</p>}
        </div>
      )}
      {h.status === 'returned' && (
        <div class="handoff-answer" data-testid="handoff-returned">
          {h.returnReason && (
            <p>
              <strong>
                {t.handoffReturnReason}
                {t.colon}
              </strong>
              {h.returnReason}
            </p>
          )}
          {h.suggestedDepartment && (
            <p>
              <strong>
                {t.handoffSuggested}
                {t.colon}
              </strong>
              {h.suggestedDepartment}
            </p>
          )}
          {h.returnedAt && <p class="hint">{t.handoffAnsweredBy(h.responderName, deadlineText(h.returnedAt))}</p>}
        </div>
      )}
      {h.photos.length > 0 && (
        <div class="photos">
          {h.photos.map((p, i) =>
            photos[i] ? (
              <img
                key={p.id}
                src={photos[i]!}
                alt={t.handoffPhoto(i + 1)}
                width={p.width ?? undefined}
                height={p.height ?? undefined}
                loading="lazy"
                data-testid="handoff-photo"
              />
            ) : (
              <span key={p.id} class="photo-missing">
                {t.photoNotOnDevice}
              </span>
            ),
          )}
        </div>
      )}
      {open && h.linkRevoked && <p class="hint">{t.handoffLinkRevoked}</p>}
      {h.status === 'answered' && h.answer && canResolve && (
        <div class="buttons">
          <button type="button" class="button primary" data-testid="handoff-relay" onClick={() => onRelay(h.answer!)}>
            {t.handoffRelay}
          </button>
        </div>
      )}
      {open &&
        canWithdraw &&
        !withdrawing &&
        (asking ? (
          <div class="buttons" role="group" aria-label={t.handoffWithdrawAsk}>
            <p class="question">{t.handoffWithdrawAsk}</p>
            <button type="button" class="button danger" data-testid="handoff-withdraw-confirm" disabled={busy} onClick={() => void withdraw()}>
              {t.handoffWithdrawConfirm}
            </button>
            <button type="button" class="button" onClick={() => setAsking(false)}>
              {t.cancel}
            </button>
          </div>
        ) : (
          <div class="buttons">
            <button type="button" class="button" data-testid="handoff-withdraw" onClick={() => setAsking(true)}>
              {t.handoffWithdraw}
            </button>
          </div>
        ))}
    </li>
  )
}
