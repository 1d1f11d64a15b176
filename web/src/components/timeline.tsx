import type { CaseDetail } from '@mashangjian/shared'
import type { OutboxEntry } from '../data'
import { dateTime, t } from '../i18n'
import { actionLine } from './outbox-panel'

/** An event in a line: "联系群众（电话）：……", "转办：不属于本工作站辖区". */
function eventLine(e: CaseDetail['events'][number]): string {
  const method = e.type === 'contact_logged' && typeof e.data.method === 'string' ? t.contactVia(t.contactMethods[e.data.method] ?? e.data.method) : ''
  const text = e.body || (e.type === 'transferred' && typeof e.data.reason === 'string' ? e.data.reason : '')
  // 交办's events name the department when the server says which.
  const department = typeof e.data.departmentName === 'string' ? t.contactVia(e.data.departmentName) : ''
  return `${t.events[e.type] ?? e.type}${method}${department}${text ? `${t.colon}${text}` : ''}`
}

/** The case's timeline, newest first, with the member's own actions that are still waiting to be sent on top. */
export function Timeline({ events, pending }: { events: CaseDetail['events']; pending: OutboxEntry[] }) {
  return (
    <section aria-labelledby="timeline-title">
      <h3 id="timeline-title">{t.timeline}</h3>
      {events.length === 0 && pending.length === 0 && <p class="hint">{t.noTimeline}</p>}
      <ol class="timeline">
        {[...pending].reverse().map((e) => (
          <li key={`p${e.seq}`} class="pending" data-testid="timeline-pending">
            <span class="when">{dateTime(e.createdAt)}</span>
            <span class="what">
              {actionLine(e)}
              {e.photos.length > 0 && ` · ${t.photos} ×${e.photos.length}`}
            </span>
            <span class="badge pending">{t.pendingBadge}</span>
          </li>
        ))}
        {[...events].reverse().map((e) => (
          <li key={e.id} data-testid="timeline-event" data-type={e.type}>
            <span class="when">
              {dateTime(e.occurredAt)}
              {e.actorName ? ` · ${e.actorName}` : ''}
            </span>
            <span class="what">{eventLine(e)}</span>
            <span class={e.visibility === 'public' ? 'vis public' : 'vis'}>{e.visibility === 'public' ? t.timelinePublic : t.timelineInternal}</span>
          </li>
        ))}
      </ol>
    </section>
  )
}
