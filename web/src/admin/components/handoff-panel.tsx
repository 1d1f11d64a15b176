import { useState } from 'preact/hooks'
import { isOpenHandoff, type CaseActionResult, type CaseDetail, type HandoffLinkResult, type HandoffView } from '@mashangjian/shared'
import { v7 as uuidv7 } from 'uuid'
import { apiPath } from '../../data'
import { adminApi } from '../admin-api'
import { dt } from '../desk-text'
import { fullDateTime } from '../desk-format'
import { ConfirmButton } from './confirm-button'
import { useAuthedPhotos } from './desk-photos'
import { useAction } from './field'
import { ProblemText } from './problem-text'

/** The desk's calls for a hand-off's link (shared/src/schemas/handoffs.ts). */
export const handoffApi = {
  /** Revokes the old link and issues a new one; the URL is in this answer only. */
  newLink: (id: string) => adminApi.post<HandoffLinkResult>(`/api/v1/handoffs/${id}/link`, {}),
  revokeLink: (id: string) => adminApi.del<void>(`/api/v1/handoffs/${id}/link`),
  /** 撤回: a case action like the others (an annotation: sent on the version the desk shows). */
  withdraw: (c: CaseDetail, handoffId: string) =>
    adminApi.post<CaseActionResult>(`/api/v1/cases/${c.id}/actions`, {
      type: 'withdraw_handoff',
      opId: uuidv7(),
      baseVersion: c.version,
      handoffId,
    }),
}

/**
 * 交办 on the desk's case page: every hand-off (newest first) with its department, status, deadline (red when late),
 * the question, who sent it, and what the department did (answer and photos, or why it returned it). An open one
 * can be withdrawn, get a new link (shown once, to copy to the department) or have its link revoked.
 */
export function HandoffPanel({ c, onChanged }: { c: CaseDetail; onChanged: (message: string) => void }) {
  const handoffs = c.handoffs ?? []
  if (handoffs.length === 0) return null
  return (
    <section aria-labelledby="desk-handoffs" data-testid="desk-handoffs">
      <h3 id="desk-handoffs">{dt.handoffsTitle}</h3>
      <ul class="handoff-list">
        {handoffs.map((h) => (
          <HandoffItem key={h.id} c={c} h={h} onChanged={onChanged} />
        ))}
      </ul>
    </section>
  )
}

function HandoffItem({ c, h, onChanged }: { c: CaseDetail; h: HandoffView; onChanged: (message: string) => void }) {
  const act = useAction()
  const [link, setLink] = useState<string | null>(null)
  const [copied, setCopied] = useState<boolean | null>(null)
  const { urls, done } = useAuthedPhotos(h.photos.map((p) => ({ id: p.id, path: apiPath(p.url) })))
  const open = isOpenHandoff(h.status)
  const late = open && (h.overdueAt !== null || Date.parse(h.dueAt) < Date.now())
  const canWithdraw = open && c.allowedActions.includes('withdraw_handoff')

  async function newLink() {
    setCopied(null)
    const result = await act.run(() => handoffApi.newLink(h.id))
    if (result) {
      setLink(result.url)
      onChanged(dt.done(dt.handoffNewLink))
    }
  }
  async function revoke() {
    setLink(null)
    if (await act.run(() => handoffApi.revokeLink(h.id).then(() => true))) onChanged(dt.handoffRevoked)
  }
  async function withdraw() {
    setLink(null)
    if (await act.run(() => handoffApi.withdraw(c, h.id))) onChanged(dt.handoffWithdrawn)
  }
  async function copy() {
    try {
      await navigator.clipboard.writeText(link ?? '')
      setCopied(true)
    } catch {
      setCopied(false)
    }
  }

  return (
    <li class="handoff-card" data-testid="desk-handoff" data-status={h.status} data-handoff-id={h.id}>
      <h4 class="row-top">
        <span>{h.departmentName}</span>
        <span class={`status h-${h.status}`} data-testid="desk-handoff-status">
          {dt.handoffStatus[h.status] ?? h.status}
        </span>
      </h4>
      <dl class="facts">
        <dt>{dt.handoffDue}</dt>
        <dd class={late ? 'deadline late' : undefined} data-testid="desk-handoff-due" data-late={late ? 'true' : undefined}>
          {fullDateTime(h.dueAt)}
          {late ? ` · ${dt.handoffLate}` : ''}
        </dd>
        <dt>{dt.handoffSentAt}</dt>
        <dd>{fullDateTime(h.sentAt)}</dd>
        {h.createdByName && (
          <>
            <dt>{dt.handoffSentBy}</dt>
            <dd>{h.createdByName}</dd>
          </>
        )}
        <dt>{dt.handoffQuestionLabel}</dt>
        <dd data-testid="desk-handoff-question">{h.question}</dd>
        {h.answer && (
          <>
            <dt>{dt.handoffAnswer}</dt>
            <dd data-testid="desk-handoff-answer">{h.answer}</dd>
          </>
        )}
        {h.returnReason && (
          <>
            <dt>{dt.handoffReturnReason}</dt>
            <dd data-testid="desk-handoff-return">{h.returnReason}</dd>
          </>
        )}
        {h.suggestedDepartment && (
          <>
            <dt>{dt.handoffSuggested}</dt>
            <dd>{h.suggestedDepartment}</dd>
          </>
        )}
        {h.responderName && (
          <>
            <dt>{dt.handoffResponder}</dt>
            <dd>
              {h.responderName}
              {h.answeredAt ? ` · ${fullDateTime(h.answeredAt)}` : h.returnedAt ? ` · ${fullDateTime(h.returnedAt)}` : ''}
            </dd>
          </>
        )}
      </dl>
      {h.photos.length > 0 && (
        <div class="photos">
          {h.photos.map((p, i) =>
            urls[i] ? (
              <img
                key={p.id}
                src={urls[i]!}
                alt={dt.handoffPhotoAlt(i + 1)}
                width={p.width ?? undefined}
                height={p.height ?? undefined}
                loading="lazy"
                data-testid="desk-handoff-photo"
              />
            ) : (
              <span key={p.id} class="photo-missing">
                {done ? dt.photoFailed : '…'}
              </span>
            ),
          )}
        </div>
      )}
      {open && h.linkRevoked && !link && (
        <p class="hint" data-testid="desk-handoff-revoked">
          {dt.handoffLinkRevoked}
        </p>
      )}
      {link && (
        <div class="tracking-once" data-testid="desk-handoff-link">
          <p>
            <strong>{dt.handoffLinkTitle}</strong>
          </p>
          <p class="tracking-url" data-testid="desk-handoff-url">
            {link}
          </p>
          <p class="hint">{dt.handoffLinkOnce}</p>
          <button type="button" class="button" data-testid="desk-handoff-copy" onClick={() => void copy()}>
            {dt.copy}
          </button>
          {copied === true && (
            <span class="hint" role="status">
              {' '}
              {dt.copied}
            </span>
          )}
          {copied === false && (
            <span class="error" role="status">
              {' '}
              {dt.copyFailed}
            </span>
          )}
        </div>
      )}
      <ProblemText error={act.error} />
      {open && (
        <div class="buttons inline">
          <button
            type="button"
            class="button"
            disabled={act.busy}
            onClick={() => void newLink()}
            data-testid="desk-handoff-new-link"
            aria-describedby={`new-link-hint-${h.id}`}
          >
            {dt.handoffNewLink}
          </button>
          {!h.linkRevoked && (
            <ConfirmButton label={dt.handoffRevokeLink} question={dt.handoffRevokeAsk} disabled={act.busy} onConfirm={revoke} testId="desk-handoff-revoke" />
          )}
          {canWithdraw && (
            <ConfirmButton
              label={dt.handoffWithdraw}
              question={dt.handoffWithdrawAsk}
              disabled={act.busy}
              onConfirm={withdraw}
              testId="desk-handoff-withdraw"
            />
          )}
          <p class="hint" id={`new-link-hint-${h.id}`}>
            {dt.handoffNewLinkHint}
          </p>
        </div>
      )}
    </li>
  )
}
