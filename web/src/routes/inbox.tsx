import { useLocation } from 'preact-iso'
import { data, INBOX_TABS, type InboxTab } from '../data'
import { CaseRow } from '../components/case-row'
import { OutboxPanel } from '../components/outbox-panel'
import { PullToRefresh } from '../components/pull-to-refresh'
import { t } from '../i18n'
import { checkForUpdate } from '../sw-bridge'
import { useData, useTick } from '../use-data'

export function Inbox() {
  const { query, route, path } = useLocation()
  const tab: InboxTab = (INBOX_TABS as readonly string[]).includes(query.tab ?? '') ? (query.tab as InboxTab) : 'new'
  const { value } = useData(() => data.inbox(tab), [tab])
  const now = useTick(60_000)

  return (
    <PullToRefresh
      onRefresh={async () => {
        checkForUpdate()
        await data.syncNow()
      }}
    >
      <OutboxPanel />
      <h2 class="visually-hidden">{t.inboxTitle}</h2>
      <div class="tabs" role="tablist">
        {INBOX_TABS.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={k === tab}
            aria-controls="inbox-panel"
            class={k === tab ? 'tab active' : 'tab'}
            data-testid={`tab-${k}`}
            onClick={() => route(`${path}?tab=${k}`, true)}
          >
            {t.tabs[k]}{' '}
            <span class="count" data-testid={`count-${k}`}>
              {value?.counts[k] ?? '…'}
            </span>
          </button>
        ))}
      </div>
      {!value ? (
        <ul class="cases skeleton" aria-busy="true" aria-label={t.loading}>
          {[0, 1, 2].map((i) => (
            <li key={i}>
              <span class="case-row" />
            </li>
          ))}
        </ul>
      ) : value.items.length === 0 ? (
        <p class="empty" data-testid="empty">
          {t.emptyInbox[tab]}
        </p>
      ) : (
        <div role="tabpanel" id="inbox-panel" aria-label={t.tabs[tab]}>
          <ul class="cases">
            {value.items.map((v) => (
              <CaseRow key={v.case.id} view={v} now={now} />
            ))}
          </ul>
        </div>
      )}
    </PullToRefresh>
  )
}
