import { useState } from 'preact/hooks'
import { useRoute } from 'preact-iso'
import { allowedActions } from '@mashangjian/shared'
import { data } from '../data'
import { ActionSheet, MEMBER_ACTIONS, type MemberAction } from '../components/action-sheet'
import { CasePhotos } from '../components/case-photos'
import { CaseCoords } from '../components/case-coords'
import { CategoryName } from '../components/category-name'
import { Deadline } from '../components/deadline'
import { HandoffList } from '../components/handoff-list'
import { OutboxPanel } from '../components/outbox-panel'
import { BackIcon } from '../components/icons'
import { Timeline } from '../components/timeline'
import { PublicationControl } from '../components/publication-control'
import { t } from '../i18n'
import { useData, useStatus, useTick } from '../use-data'

export function CasePage() {
  const { params } = useRoute()
  const id = params.id!
  const status = useStatus()
  const { value, error } = useData(() => data.caseView(id), [id])
  // The sheet open now; 转述答复并办结 opens the resolve sheet with the department's answer filled in.
  const [sheet, setSheet] = useState<{ action: MemberAction; reply?: string } | null>(null)
  // The action just made here: "已保存，待同步" shows while it waits in the outbox and goes when it lands.
  const [saved, setSaved] = useState<string | null>(null)
  const now = useTick(60_000)
  const base = import.meta.env.BASE_URL

  if (error) return <p class="empty">{t.unknownError}</p>
  if (value === undefined)
    return (
      <p class="skeleton-block" aria-busy="true">
        {t.detailLoading}
      </p>
    )
  // Gone from this phone (e.g. reassigned): the member's refused actions on it still show, to be decided on.
  if (value === null) {
    return (
      <>
        <OutboxPanel caseId={id} />
        <section class="empty">
          <p>{t.caseNotOnDevice}</p>
          <a class="button" href={base}>
            {t.back}
          </a>
        </section>
      </>
    )
  }

  const { view, detail } = value
  const c = view.case
  // A member acts as the case's assignee; what they may do next follows the projected state (offline too).
  const isMember = status.user?.role === 'member'
  const possible = isMember ? allowedActions(c.status, 'assignee') : (detail?.allowedActions ?? [])
  const actions = MEMBER_ACTIONS.filter((a) => possible.includes(a))
  const phone = detail?.residentPhone ?? null
  const waiting = saved !== null && view.pending.some((e) => e.opId === saved)

  return (
    <article class="case" data-testid="case-page" data-status={c.status}>
      <a class="back" href={base}>
        <BackIcon /> {t.back}
      </a>
      <header>
        <p class="row-top">
          <span class={`status s-${c.status}`} data-testid="case-status">
            {t.status[c.status]}
          </span>
          <bdi class="no" dir="ltr">
            {c.publicNo}
          </bdi>
          {view.pending.length > 0 && <span class="badge pending">{t.pendingBadge}</span>}
          {c.awaitingDepartment && (
            <span class="badge awaiting" data-testid="awaiting-department">
              {t.awaitingDepartment}
            </span>
          )}
        </p>
        <Deadline c={c} now={now} />
      </header>
      {waiting && (
        <p class="toast" role="status" data-testid="saved-toast">
          {t.actionDone}
        </p>
      )}
      <OutboxPanel caseId={c.id} c={c} onRevised={(e) => setSaved(e.opId)} />
      <section aria-labelledby="desc-title">
        <h3 id="desc-title">
          {t.description}
          {c.categoryNames && ' · '}
          <CategoryName names={c.categoryNames} />
        </h3>
        <p class="description">{c.description}</p>
        {c.locationText && (
          <p>
            <strong>
              {t.location}
              {t.colon}
            </strong>
            {c.locationText}
          </p>
        )}
        <CaseCoords coords={c.coords} />
      </section>
      {detail ? <CasePhotos attachments={detail.attachments} /> : <p class="hint">{t.detailLoading}</p>}
      {!phone && !c.residentPhoneMasked && c.residentPhoneWithdrawn && (
        <section aria-label={t.resident} class="phone">
          <strong>
            {t.resident}
            {t.colon}
          </strong>
          <span data-testid="phone-withdrawn">{t.phoneWithdrawn}</span>
        </section>
      )}
      {(phone || c.residentPhoneMasked) && (
        <section aria-label={t.resident} class="phone">
          <strong>
            {t.resident}
            {t.colon}
          </strong>
          {phone ? (
            <a class="button" href={`tel:${phone}`} data-testid="call">
              {t.callResident} <bdi dir="ltr">{phone}</bdi>
            </a>
          ) : (
            <span>
              <bdi dir="ltr">{c.residentPhoneMasked}</bdi> <span class="hint">{t.phoneMaskedHint}</span>
            </span>
          )}
        </section>
      )}
      {actions.length > 0 && (
        <div class="action-bar" role="group" aria-label={t.actionsLabel}>
          {actions.map((a) => (
            <button
              key={a}
              type="button"
              class={a === 'accept' || a === 'resolve' ? 'button primary' : 'button'}
              data-testid={`action-${a}`}
              onClick={() => {
                setSaved(null)
                setSheet({ action: a })
              }}
            >
              {t.actions[a]}
            </button>
          ))}
        </div>
      )}
      <HandoffList
        caseId={c.id}
        handoffs={detail?.handoffs ?? []}
        pending={view.pending}
        now={now}
        canResolve={possible.includes('resolve')}
        canWithdraw={possible.includes('withdraw_handoff')}
        onRelay={(answer) => {
          setSaved(null)
          setSheet({ action: 'resolve', reply: answer })
        }}
        onQueued={(e) => setSaved(e.opId)}
      />
      {/* issue 16: transparency page — once the server has the case resolved, the member may let it be published. */}
      {(c.status === 'resolved' || c.status === 'closed') && view.pending.length === 0 && <PublicationControl key={c.id} caseId={c.id} idPrefix="case-pub" />}
      <Timeline events={detail?.events ?? []} pending={view.pending} />
      {sheet && (
        <ActionSheet
          action={sheet.action}
          caseId={c.id}
          c={c}
          prefill={sheet.reply !== undefined ? { reply: sheet.reply } : undefined}
          onClose={(queued) => {
            setSheet(null)
            setSaved(queued?.opId ?? null)
          }}
        />
      )}
    </article>
  )
}
