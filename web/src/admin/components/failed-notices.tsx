import { useState } from 'preact/hooks'
import type { NotificationView } from '@mashangjian/shared'
import { ADMIN_BASE } from '../../paths'
import { adminApi } from '../admin-api'
import { at } from '../admin-text'
import { fullDateTime } from '../desk-format'
import { answerLine, templateName } from '../notify-format'
import { useRemote } from '../use-remote'
import { useAction } from './field'
import { Pager } from './pager'
import { ProblemText } from './problem-text'

const LIMIT = 20

/**
 * 发送失败的通知 in the admin's scope (a committee admin's chosen committee, a station admin's stations), newest
 * first, a page at a time: which case, what notice to whom by which medium, what the provider last said, how many
 * tries; 重试 puts one back in the queue (it leaves this list).
 */
export function FailedNotices({ committeeId }: { committeeId?: string }) {
  const [offset, setOffset] = useState(0)
  const list = useRemote(() => adminApi.notify.list({ status: 'failed', committeeId, limit: LIMIT, offset }), [committeeId, offset])
  const retry = useAction()
  const [done, setDone] = useState<string | null>(null)
  const n = at.notify
  const page = list.value

  async function again(item: NotificationView) {
    setDone(null)
    if (await retry.run(() => adminApi.notify.retry(item.id))) {
      setDone(n.retried)
      // The last row of the last page gone: step back a page.
      if (page && page.items.length === 1 && offset > 0) setOffset(Math.max(0, offset - LIMIT))
      else list.reload()
    }
  }

  return (
    <section class="sub-page" aria-labelledby="failed-title" data-testid="failed-notices">
      <h3 id="failed-title">{n.failedTitle}</h3>
      <p class="hint">{n.failedHint}</p>
      <ProblemText error={list.error ?? retry.error} />
      {done && (
        <p class="toast" role="status" data-testid="failed-toast">
          {done}
        </p>
      )}
      {!page && !list.error && (
        <p class="skeleton-block" aria-busy="true">
          {at.loading}
        </p>
      )}
      {page && page.items.length === 0 && (
        <p class="empty" data-testid="failed-empty">
          {n.noFailed}
        </p>
      )}
      {page && page.items.length > 0 && (
        <div class="table-wrap">
          <table class="grid stack failed-list" aria-busy={list.loading ? 'true' : undefined}>
            <caption class="visually-hidden">{n.failedTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{n.caseNo}</th>
                <th scope="col">{n.template}</th>
                <th scope="col">{n.recipient}</th>
                <th scope="col">{n.channel}</th>
                <th scope="col">{n.lastError}</th>
                <th scope="col">{n.attempts}</th>
                <th scope="col">
                  <span class="visually-hidden">{at.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((item) => (
                <tr key={item.id} data-testid="failed-row" data-notification-id={item.id}>
                  <th scope="row" data-label={n.caseNo}>
                    {item.caseId && item.publicNo ? (
                      <a href={`${ADMIN_BASE}cases/${item.caseId}`} data-testid="failed-case">
                        {item.publicNo}
                      </a>
                    ) : (
                      (item.publicNo ?? n.noCase)
                    )}
                    <span class="sub">{fullDateTime(item.createdAt)}</span>
                  </th>
                  <td data-label={n.template}>{templateName(item.templateKey)}</td>
                  <td data-label={n.recipient}>
                    {n.recipients[item.recipientKind]} · {item.recipientLabel}
                  </td>
                  <td data-label={n.channel}>{n.media[item.channel] ?? item.channel}</td>
                  <td data-label={n.lastError} class="answer" data-testid="failed-error">
                    {answerLine(item)}
                  </td>
                  <td data-label={n.attempts}>{item.attempts}</td>
                  <td class="actions">
                    <button
                      type="button"
                      class="button"
                      onClick={() => void again(item)}
                      disabled={retry.busy}
                      aria-label={n.retryWho(`${item.publicNo ?? ''} ${templateName(item.templateKey)} · ${item.recipientLabel}`.trim())}
                      data-testid="failed-retry"
                    >
                      {n.retry}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && <Pager total={page.total} limit={LIMIT} offset={offset} onChange={setOffset} />}
    </section>
  )
}
