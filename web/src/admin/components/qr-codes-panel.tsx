import { useState } from 'preact/hooks'
import { formatDate, type QrCodeView } from '@mashangjian/shared'
import { currentLocale } from '../../i18n'
import { adminApi, withQuery } from '../admin-api'
import { at } from '../admin-text'
import { useRemote } from '../use-remote'
import { ConfirmButton } from './confirm-button'
import { Done, useAction } from './field'
import { ProblemText } from './problem-text'
import { PublicUrlWarning } from './public-url-warning'
import { TokenLink } from './token-link'

export type QrHolder = { memberId: string } | { stationId: string }

/** Beijing time in the console's language, whatever the browser's own time zone. */
const when = (iso: string) => formatDate(iso, currentLocale(), 'dateTime')
const day = (iso: string) => formatDate(iso, currentLocale(), 'date')

/**
 * A member's or a station's QR codes (DESIGN.md §3 qr_code): each with its short code, status, scan URL, image,
 * when it was issued and which code it replaced; issue a new one, rotate (the old one points to the new for 90
 * days) or revoke one, each asked first; print the holder's placard. The API decides who may (qr-service.ts).
 */
export function QrCodesPanel({ holder }: { holder: QrHolder }) {
  const codes = useRemote(() => adminApi.get<QrCodeView[]>(withQuery('/api/v1/qr-codes', holder)), ['memberId' in holder ? holder.memberId : holder.stationId])
  const action = useAction()
  const [done, setDone] = useState<string | null>(null)
  const list = codes.value ?? []
  const byId = new Map(list.map((c) => [c.id, c]))
  const active = list.filter((c) => c.status === 'active')
  const print = 'memberId' in holder ? { memberIds: holder.memberId, layout: 'poster' } : { subject: 'station', stationId: holder.stationId, layout: 'poster' }

  async function run(work: () => Promise<QrCodeView>, message: (q: QrCodeView) => string) {
    setDone(null)
    const q = await action.run(work)
    if (q) {
      setDone(message(q))
      codes.reload()
    }
  }
  const issue = () =>
    run(
      () => adminApi.post<QrCodeView>('/api/v1/qr-codes', holder),
      (q) => at.qrIssued(q.code),
    )
  const rotate = (c: QrCodeView) =>
    run(
      () => adminApi.post<QrCodeView>(`/api/v1/qr-codes/${c.id}/rotate`, {}),
      (q) => at.qrRotated(c.code, q.code),
    )
  const revoke = (c: QrCodeView) =>
    run(
      () => adminApi.post<QrCodeView>(`/api/v1/qr-codes/${c.id}/revoke`, {}),
      (q) => at.qrRevoked(q.code),
    )

  return (
    <section class="sub-section qr-panel" aria-labelledby="qr-title" data-testid="qr-panel">
      <h4 id="qr-title">{at.qrTitle}</h4>
      <p class="hint">{at.qrHint}</p>
      <PublicUrlWarning />
      <ProblemText error={codes.error ?? action.error} />
      <Done message={done} />
      {codes.value && active.length === 0 && (
        <p class="empty" data-testid="qr-none">
          {at.qrNone}
        </p>
      )}
      {list.length > 0 && (
        <ul class="rows qr-list" aria-busy={codes.loading ? 'true' : undefined}>
          {list.map((c) => (
            <li key={c.id} class="row qr-row" data-testid="qr-row" data-code={c.code} data-status={c.status}>
              <img class="qr-image" src={`/api/v1/qr/${c.code}.svg`} alt={at.qrImageAlt(c.code)} width={88} height={88} loading="lazy" />
              <div class="row-main">
                <p class="qr-code">
                  <strong>{at.qrCodeOf(c.code)}</strong>{' '}
                  <span class={`pill q-${c.status}`} data-testid="qr-status">
                    {at.qrStatuses[c.status]}
                  </span>
                </p>
                <dl class="facts">
                  <dt>{at.qrScanUrl}</dt>
                  <dd class="qr-url">
                    <a href={c.url} target="_blank" rel="noopener">
                      {c.url}
                    </a>
                  </dd>
                  <dt>{at.qrIssuedAt}</dt>
                  <dd>{when(c.createdAt)}</dd>
                  {c.rotatedFrom && (
                    <>
                      <dt>{at.qrReplaces}</dt>
                      <dd data-testid="qr-replaces">{byId.get(c.rotatedFrom)?.code ?? '—'}</dd>
                    </>
                  )}
                </dl>
                {c.status === 'revoked' && c.redirectUntil && <p class="hint">{at.qrRedirectsUntil(day(c.redirectUntil))}</p>}
              </div>
              {c.status === 'active' && (
                <div class="buttons inline">
                  <ConfirmButton label={at.qrRotate} question={at.qrRotateQuestion} onConfirm={() => rotate(c)} disabled={action.busy} testId="qr-rotate" />
                  <ConfirmButton label={at.qrRevoke} question={at.qrRevokeQuestion} onConfirm={() => revoke(c)} disabled={action.busy} testId="qr-revoke" />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <div class="buttons inline">
        <button type="button" class="button" onClick={() => void issue()} disabled={action.busy || !codes.value} data-testid="qr-issue">
          {at.qrIssue}
        </button>
        {active.length > 0 && (
          <TokenLink path="/api/v1/placards.html" query={print} testId="qr-print">
            {at.qrPrint}
          </TokenLink>
        )}
      </div>
    </section>
  )
}
