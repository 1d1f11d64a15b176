import { useState } from 'preact/hooks'
import type { NotificationView } from '@mashangjian/shared'
import { adminApi } from '../admin-api'
import { at } from '../admin-text'
import { fullDateTime } from '../desk-format'
import { answerLine, templateName } from '../notify-format'
import { useRemote } from '../use-remote'
import '../notifications.css'
import { useAction } from './field'
import { ProblemText } from './problem-text'

/**
 * 通知记录 of one case: every notice the outbox holds for it (kind, to whom, by which medium, where it is, how many
 * tries and what the provider last said), newest first; a failed one can be put back in the queue. `version` is the
 * case's: a desk action that writes new notices reloads the log.
 */
export function DeliveryLog({ caseId, version }: { caseId: string; version: number }) {
  const log = useRemote(() => adminApi.notify.ofCase(caseId), [caseId, version])
  const retry = useAction()
  const [done, setDone] = useState<string | null>(null)
  const n = at.notify

  async function again(item: NotificationView) {
    setDone(null)
    if (await retry.run(() => adminApi.notify.retry(item.id))) {
      setDone(n.retried)
      log.reload()
    }
  }

  const items = [...(log.value?.items ?? [])].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
  return (
    <section aria-labelledby="desk-notices" data-testid="delivery-log">
      <h3 id="desk-notices">{n.logTitle}</h3>
      <ProblemText error={log.error ?? retry.error} />
      {done && (
        <p class="toast" role="status" data-testid="delivery-toast">
          {done}
        </p>
      )}
      {!log.value && !log.error && (
        <p class="skeleton-block" aria-busy="true">
          {at.loading}
        </p>
      )}
      {log.value && items.length === 0 && (
        <p class="hint" data-testid="delivery-empty">
          {n.logEmpty}
        </p>
      )}
      {items.length > 0 && (
        <ul class="rows notice-log">
          {items.map((item) => (
            <li
              key={item.id}
              class="row notice"
              data-testid="delivery-row"
              data-notification-id={item.id}
              data-status={item.status}
              data-template={item.templateKey}
            >
              <div class="row-main">
                <p class="notice-head">
                  <strong>{templateName(item.templateKey)}</strong>{' '}
                  <span class={`pill n-${item.status}`} data-testid="delivery-status">
                    {n.statuses[item.status] ?? item.status}
                  </span>
                </p>
                <dl class="facts">
                  <dt>{n.time}</dt>
                  <dd>
                    {fullDateTime(item.createdAt)}
                    {item.sentAt && <span class="sub">{n.sentAt(fullDateTime(item.sentAt))}</span>}
                    {item.status === 'pending' && item.nextAttemptAt && <span class="sub">{n.heldUntil(fullDateTime(item.nextAttemptAt))}</span>}
                  </dd>
                  <dt>{n.recipient}</dt>
                  <dd>
                    {n.recipients[item.recipientKind]} · {item.recipientLabel}
                  </dd>
                  <dt>{n.channel}</dt>
                  <dd>
                    {n.media[item.channel] ?? item.channel}
                    {item.segments ? `（${n.segments(item.segments)}）` : ''}
                  </dd>
                  <dt>{n.attempts}</dt>
                  <dd data-testid="delivery-attempts">{item.attempts}</dd>
                  <dt>{n.lastAnswer}</dt>
                  <dd class="answer" data-testid="delivery-answer">
                    {answerLine(item)}
                  </dd>
                </dl>
              </div>
              {item.status === 'failed' && (
                <button
                  type="button"
                  class="button"
                  onClick={() => void again(item)}
                  disabled={retry.busy}
                  aria-label={n.retryWho(`${templateName(item.templateKey)} · ${item.recipientLabel}`)}
                  data-testid="delivery-retry"
                >
                  {n.retry}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
