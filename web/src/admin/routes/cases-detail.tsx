import { useEffect, useState } from 'preact/hooks'
import { useRoute } from 'preact-iso'
import type { CaseDetail } from '@mashangjian/shared'
import { ApiError } from '../../data'
import { ADMIN_BASE } from '../../paths'
import { adminApi } from '../admin-api'
import { dt } from '../desk-text'
import { announceDeskChange, categoryName, fullDateTime } from '../desk-format'
import { DESK_ACTIONS, DeskActionSheet, deskActionLabel, type DeskAction } from '../components/desk-action-sheet'
import { DeliveryLog } from '../components/delivery-log'
import { DeskPhotos } from '../components/desk-photos'
import { HandoffPanel } from '../components/handoff-panel'
// issue 16: transparency page — the per-case publication switch.
import { PublicationControl } from '../../components/publication-control'
import { TrackingLinksControl } from '../components/tracking-links-control'
import { ProblemText } from '../components/problem-text'
import { useRemote } from '../use-remote'

/**
 * One case at the desk: what the resident asked (photos, masked phone), where it is and why (station, member,
 * category, routing, the queue reason), its deadlines and any extension asked for, merges both ways, the full
 * timeline (public and internal marked), and the desk actions the state machine allows the admin now.
 */
export function CasesDetail() {
  const { params } = useRoute()
  const id = params.id!
  const detail = useRemote(() => adminApi.get<CaseDetail>(`/api/v1/cases/${id}`), [id])
  const [sheet, setSheet] = useState<DeskAction | null>(null)
  const [done, setDone] = useState<string | null>(null)
  useEffect(() => {
    setSheet(null)
    setDone(null)
  }, [id])

  if (detail.error instanceof ApiError && detail.error.status === 404) {
    return (
      <section class="admin-page" data-testid="case-not-found">
        <a class="back" href={`${ADMIN_BASE}cases`}>
          ‹ {dt.back}
        </a>
        <h2>{dt.notFound}</h2>
      </section>
    )
  }
  const c = detail.value
  if (!c) {
    return (
      <section class="admin-page" aria-busy="true">
        <a class="back" href={`${ADMIN_BASE}cases`}>
          ‹ {dt.back}
        </a>
        <h2>{dt.title}</h2>
        <ProblemText error={detail.error} />
        {!detail.error && <p class="skeleton-block">…</p>}
      </section>
    )
  }

  // The extension pair only while a request waits; the rest as the machine allows.
  const actions = DESK_ACTIONS.filter(
    (a) => c.allowedActions.includes(a) && (a !== 'approve_extension' && a !== 'deny_extension' ? true : c.extensionRequestedUntil !== null),
  )
  const category = categoryName(c.categoryNames)
  const routing = c.routingReason ? (dt.routingReasons[c.routingReason] ?? c.routingReason) : null
  return (
    <article class="admin-page desk-case" data-testid="desk-case" data-status={c.status} data-version={c.version}>
      <a class="back" href={`${ADMIN_BASE}cases`}>
        ‹ {dt.back}
      </a>
      <h2>{dt.caseTitle(c.publicNo)}</h2>
      <p class="row-top">
        <span class={`status s-${c.status}`} data-testid="desk-status">
          {dt.statuses[c.status]}
        </span>
        {c.overdue && <span class="deadline late">{dt.overdue}</span>}
        {c.awaitingDepartment && (
          <span class="badge awaiting" data-testid="desk-awaiting-department">
            {dt.awaitingDepartment}
          </span>
        )}
        {category && <span class="cat">{category}</span>}
      </p>
      {done && (
        <p class="toast" role="status" data-testid="toast">
          {done}
        </p>
      )}
      {c.queueReason && (
        <p class="queue-reason" data-testid="queue-reason" data-reason={c.queueReason}>
          <strong>{dt.queueReasonLabel}：</strong>
          {dt.queueReasons[c.queueReason]}
          {c.queueNote ? `：${c.queueNote}` : ''}
        </p>
      )}
      {c.mergedIntoPublicNo && (
        <p class="merge-link">
          {c.mergedInto ? (
            <a href={`${ADMIN_BASE}cases/${c.mergedInto}`} data-testid="merged-into-link">
              {dt.mergedInto(c.mergedIntoPublicNo)}
            </a>
          ) : (
            <span data-testid="merged-into-link">{dt.mergedInto(c.mergedIntoPublicNo)}</span>
          )}
        </p>
      )}
      {(c.mergedFrom?.length ?? 0) > 0 && (
        <p class="merge-link" data-testid="merged-from">
          {dt.mergedFrom}：
          {c.mergedFrom!.map((m, i) => (
            <>
              {i > 0 && '、'}
              <a key={m.id} href={`${ADMIN_BASE}cases/${m.id}`}>
                {m.publicNo}
              </a>
            </>
          ))}
        </p>
      )}

      {actions.length > 0 && (
        <div class="desk-actions" role="group" aria-label={dt.actionsLabel}>
          {actions.map((a) => (
            <button
              key={a}
              type="button"
              class={a === 'assign' || a === 'approve_extension' ? 'button primary' : 'button'}
              data-testid={`desk-action-${a}`}
              onClick={() => {
                setDone(null)
                setSheet(a)
              }}
            >
              {deskActionLabel(a, c)}
            </button>
          ))}
        </div>
      )}

      <div class="desk-body">
        <div class="desk-col">
          <section aria-labelledby="desk-desc">
            <h3 id="desk-desc">{dt.description}</h3>
            <p class="description" data-testid="desk-description">
              {c.description}
            </p>
            {c.locationText && (
              <p>
                <strong>{dt.location}：</strong>
                {c.locationText}
              </p>
            )}
          </section>
          <DeskPhotos attachments={c.attachments} />
          <HandoffPanel
            c={c}
            onChanged={(message) => {
              setDone(message)
              detail.reload()
              announceDeskChange()
            }}
          />
          {(c.status === 'resolved' || c.status === 'closed') && <PublicationControl key={c.id} caseId={c.id} idPrefix="desk-pub" />}
          <TrackingLinksControl key={`links-${c.id}`} caseId={c.id} />
          <section aria-labelledby="desk-facts">
            <h3 id="desk-facts">{dt.facts}</h3>
            <dl class="facts">
              <dt>{dt.resident}</dt>
              <dd data-testid="desk-phone">
                {c.residentPhoneMasked ? (
                  <>
                    {c.residentPhoneMasked} <span class="hint">{dt.phoneMasked}</span>
                  </>
                ) : c.residentPhoneWithdrawn ? (
                  dt.phoneWithdrawn
                ) : (
                  dt.noPhone
                )}
              </dd>
              <dt>{dt.channel}</dt>
              <dd>{dt.channels[c.channel]}</dd>
              <dt>{dt.station}</dt>
              <dd>{c.stationName ?? '—'}</dd>
              <dt>{dt.member}</dt>
              <dd data-testid="desk-member">{c.memberName ?? dt.unassigned}</dd>
              <dt>{dt.category}</dt>
              <dd>{category ?? '—'}</dd>
              {routing && (
                <>
                  <dt>{dt.routing}</dt>
                  <dd data-testid="desk-routing">{routing}</dd>
                </>
              )}
              <dt>{dt.createdAt}</dt>
              <dd>{fullDateTime(c.createdAt)}</dd>
              {c.acceptDueAt && (
                <>
                  <dt>{dt.acceptDue}</dt>
                  <dd>{fullDateTime(c.acceptDueAt)}</dd>
                </>
              )}
              {c.resolveDueAt && (
                <>
                  <dt>{dt.resolveDue}</dt>
                  <dd data-testid="desk-resolve-due">{fullDateTime(c.resolveDueAt)}</dd>
                </>
              )}
              {c.extensionRequestedUntil && (
                <>
                  <dt>{dt.extensionUntil}</dt>
                  <dd data-testid="desk-extension">{fullDateTime(c.extensionRequestedUntil)}</dd>
                </>
              )}
              {c.rating && (
                <>
                  <dt>{dt.rating}</dt>
                  <dd data-testid="desk-rating">
                    {dt.ratings[c.rating]}
                    {c.ratingSource ? `（${dt.ratingSources[c.ratingSource]}）` : ''}
                  </dd>
                </>
              )}
            </dl>
          </section>
        </div>
        <div class="desk-col">
          <section aria-labelledby="desk-timeline">
            <h3 id="desk-timeline">{dt.timeline}</h3>
            <ol class="timeline" data-testid="desk-timeline">
              {[...c.events].reverse().map((e) => (
                <li key={e.id} data-testid="desk-event" data-type={e.type} data-visibility={e.visibility}>
                  <span class="when">
                    {fullDateTime(e.occurredAt)}
                    {e.actorName ? ` · ${e.actorName}` : ''}
                  </span>
                  <span class="what">
                    {dt.events[e.type] ?? e.type}
                    {e.body ? `：${e.body}` : ''}
                  </span>
                  <span class={e.visibility === 'public' ? 'vis public' : 'vis'}>{e.visibility === 'public' ? dt.public : dt.internal}</span>
                </li>
              ))}
            </ol>
          </section>
          <DeliveryLog caseId={c.id} version={c.version} />
        </div>
      </div>

      {sheet && (
        <DeskActionSheet
          action={sheet}
          c={c}
          onClose={() => setSheet(null)}
          onDone={(_result, label) => {
            setSheet(null)
            setDone(dt.done(label))
            detail.reload()
            announceDeskChange()
          }}
        />
      )}
    </article>
  )
}
