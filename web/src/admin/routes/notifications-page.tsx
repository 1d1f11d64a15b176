import { useState } from 'preact/hooks'
import { PROVIDER_MEDIUM, type ChannelView, type StationDetail } from '@mashangjian/shared'
import { useStatus } from '../../use-data'
import { adminApi, withQuery, type Paged } from '../admin-api'
import { at } from '../admin-text'
import { fullDateTime } from '../desk-format'
import { ChannelEditor, secretLabel } from '../components/channel-editor'
import { ChannelTest } from '../components/channel-test'
import { CommitteePicker } from '../components/committee-picker'
import { ConfirmButton } from '../components/confirm-button'
import { FailedNotices } from '../components/failed-notices'
import { Done, useAction } from '../components/field'
import { ProblemText } from '../components/problem-text'
import { useRemote } from '../use-remote'
import { isCommitteeAdmin, useCommitteeChoice } from '../use-scope'
import '../notifications.css'

/**
 * 通知: a committee's channels (SMS accounts, group robots, webhooks) for committee and system admins, and the
 * notices that failed in the admin's scope for every admin (station admins see only those).
 */
export function NotificationsPage() {
  const { user } = useStatus()
  const committeeAdmin = isCommitteeAdmin(user?.role)
  const { committees, id, setId } = useCommitteeChoice()
  const n = at.notify
  return (
    <section class="admin-page" data-testid="notifications-page" aria-labelledby="notifications-title">
      <h2 id="notifications-title">{n.title}</h2>
      <p class="hint">{n.hint}</p>
      {committeeAdmin && <CommitteePicker committees={committees.value ?? []} value={id} onChange={setId} />}
      <ProblemText error={committees.error} />
      {committeeAdmin && id && <Channels key={id} committeeId={id} />}
      {/* Station admins: the API keeps to their stations. */}
      {(!committeeAdmin || id) && <FailedNotices key={id} committeeId={committeeAdmin ? id : undefined} />}
    </section>
  )
}

function Channels({ committeeId }: { committeeId: string }) {
  const list = useRemote(() => adminApi.notify.channels(committeeId), [committeeId])
  const stations = useRemote(() => adminApi.get<Paged<StationDetail>>(withQuery('/api/v1/stations', { committeeId, limit: 200 })), [committeeId])
  const [editing, setEditing] = useState<ChannelView | 'new' | null>(null)
  const [version, setVersion] = useState(0)
  const [toast, setToast] = useState<string | null>(null)
  const action = useAction()
  const n = at.notify
  const items = list.value?.items ?? []

  function saved(c: ChannelView, message: string) {
    setToast(message)
    setEditing(null)
    setVersion((v) => v + 1)
    list.reload()
  }
  async function toggle(c: ChannelView) {
    setToast(null)
    const out = await action.run(() => adminApi.notify.updateChannel(c.id, { name: c.name, stationId: c.stationId, enabled: !c.enabled, settings: c.settings }))
    if (out) {
      setToast(out.enabled ? n.enabledWho(out.name) : n.disabledWho(out.name))
      list.reload()
    }
  }
  async function remove(c: ChannelView) {
    setToast(null)
    const ok = await action.run(async () => {
      await adminApi.notify.deleteChannel(c.id)
      return true
    })
    if (ok) {
      setToast(n.deleted(c.name))
      if (editing !== 'new' && editing?.id === c.id) setEditing(null)
      list.reload()
    }
  }

  return (
    <section class="sub-page" aria-labelledby="channels-title" data-testid="channels">
      <div class="page-head">
        <h3 id="channels-title">{n.channelsTitle}</h3>
        {!editing && (
          <button
            type="button"
            class="button primary"
            onClick={() => {
              setToast(null)
              setEditing('new')
            }}
            data-testid="channel-new"
          >
            {n.addChannel}
          </button>
        )}
      </div>
      <p class="hint">{n.channelsHint}</p>
      <Done message={toast} />
      <ProblemText error={list.error ?? action.error} />
      {editing && (
        <ChannelEditor
          key={editing === 'new' ? 'new' : `${editing.id}:${version}`}
          channel={editing === 'new' ? null : editing}
          committeeId={committeeId}
          stations={stations.value?.items ?? []}
          onSaved={saved}
          onClose={() => setEditing(null)}
        />
      )}
      {!list.value && !list.error && (
        <p class="skeleton-block" aria-busy="true">
          {at.loading}
        </p>
      )}
      {list.value && items.length === 0 && (
        <p class="empty" data-testid="channels-empty">
          {n.noChannels}
        </p>
      )}
      {items.length > 0 && (
        <ul class="rows channel-list">
          {items.map((c) => (
            <li
              key={c.id}
              class={editing !== 'new' && editing?.id === c.id ? 'row channel selected' : 'row channel'}
              data-testid="channel-row"
              data-channel-id={c.id}
              data-provider={c.provider}
            >
              <div class="row-main">
                <p class="channel-head">
                  <strong data-testid="channel-name">{c.name}</strong>{' '}
                  <span class={c.enabled ? 'pill m-active' : 'pill m-inactive'} data-testid="channel-state">
                    {c.enabled ? n.enabled : n.disabled}
                  </span>
                </p>
                <dl class="facts">
                  <dt>{n.provider}</dt>
                  <dd>{n.providers[c.provider]}</dd>
                  {PROVIDER_MEDIUM[c.provider] === 'robot' && (
                    <>
                      <dt>{n.scope}</dt>
                      <dd>{c.stationName ?? n.wholeCommittee}</dd>
                    </>
                  )}
                  <dt>{n.credentialsSet}</dt>
                  <dd data-testid="channel-secrets">
                    {c.credentialsSet.length > 0 ? `${c.credentialsSet.map(secretLabel).join('、')} · ${n.secretSaved}` : n.secretNotSet}
                  </dd>
                  <dt>{n.updatedAt}</dt>
                  <dd>{fullDateTime(c.updatedAt)}</dd>
                </dl>
                <ChannelTest channel={c} />
              </div>
              <div class="row-actions">
                <button
                  type="button"
                  class="button"
                  aria-label={n.editChannel(c.name)}
                  onClick={() => {
                    setToast(null)
                    setEditing(c)
                  }}
                  data-testid="channel-edit"
                >
                  {at.edit}
                </button>
                <button
                  type="button"
                  class="button"
                  aria-label={`${c.enabled ? n.disable : n.enable}：${c.name}`}
                  onClick={() => void toggle(c)}
                  disabled={action.busy}
                  data-testid="channel-toggle"
                >
                  {c.enabled ? n.disable : n.enable}
                </button>
                <ConfirmButton
                  label={at.delete}
                  question={n.deleteQuestion(c.name)}
                  onConfirm={() => remove(c)}
                  disabled={action.busy}
                  testId="channel-delete"
                />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
