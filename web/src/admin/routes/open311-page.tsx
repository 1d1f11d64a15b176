import { formatDate, type Open311ClientView } from '@mashangjian/shared'
import { currentLocale } from '../../i18n'
import { useState } from 'preact/hooks'
import type { StationDetail } from '@mashangjian/shared'
import { adminApi, withQuery } from '../admin-api'
import { at } from '../admin-text'
import { ot } from '../open311-text'
import { CommitteePicker } from '../components/committee-picker'
import { ConfirmButton } from '../components/confirm-button'
import { Done, Field, useAction, valueOf } from '../components/field'
import { ProblemText, fieldErrors } from '../components/problem-text'
import { useRemote } from '../use-remote'
import { useCommitteeChoice } from '../use-scope'

type Open311Client = Open311ClientView

const when = (iso: string) => formatDate(iso, currentLocale(), 'dateTime')

/**
 * Open311 接口 (issue 16): committee admins issue each civic app its own GeoReport v2 API key (shown once, to copy),
 * choose the station its requests go to, see when it was last used, and revoke it.
 */
export function Open311Page() {
  const { committees, id: committeeId, setId } = useCommitteeChoice()
  const list = useRemote(
    () => (committeeId ? adminApi.get<{ items: Open311Client[] }>(withQuery('/api/v1/open311/clients', { committeeId })) : Promise.resolve(null)),
    [committeeId],
  )
  const stations = useRemote(
    () =>
      committeeId ? adminApi.get<{ items: StationDetail[] }>(withQuery('/api/v1/stations', { committeeId, active: true, limit: 200 })) : Promise.resolve(null),
    [committeeId],
  )
  const [name, setName] = useState('')
  const [stationId, setStationId] = useState('')
  const [issued, setIssued] = useState<{ name: string; apiKey: string } | null>(null)
  const [copied, setCopied] = useState<boolean | null>(null)
  const [toast, setToast] = useState<string | null>(null)
  const issue = useAction()
  const revoke = useAction()
  const errors = fieldErrors(issue.error)

  async function submit(e: Event) {
    e.preventDefault()
    setToast(null)
    const out = await issue.run(() =>
      adminApi.post<{ client: Open311Client; apiKey: string }>('/api/v1/open311/clients', { name, stationId: stationId || null, committeeId }),
    )
    if (!out) return
    setIssued({ name: out.client.name, apiKey: out.apiKey })
    setCopied(null)
    setName('')
    list.reload()
  }
  async function copy() {
    try {
      await navigator.clipboard.writeText(issued?.apiKey ?? '')
      setCopied(true)
    } catch {
      setCopied(false)
    }
  }
  async function end(c: Open311Client) {
    setToast(null)
    if (await revoke.run(() => adminApi.post<Open311Client>(`/api/v1/open311/clients/${c.id}/revoke`, {}))) {
      setToast(ot.revokedToast(c.name))
      list.reload()
    }
  }

  return (
    <section class="admin-page open311-page" data-testid="open311-page" aria-labelledby="open311-title">
      <h2 id="open311-title">{ot.title}</h2>
      <p class="hint">{ot.intro}</p>
      <p class="hint">
        {ot.endpoint}：<code data-testid="open311-endpoint">{`${location.origin}/open311/v2/discovery.json`}</code>
      </p>
      <CommitteePicker
        committees={committees.value ?? []}
        value={committeeId}
        onChange={(v) => {
          setIssued(null)
          setId(v)
        }}
      />
      <Done message={toast} />

      {issued && (
        <div class="tracking-once" role="region" aria-label={ot.keyFor(issued.name)} data-testid="open311-issued">
          <p>
            <strong>{ot.keyFor(issued.name)}</strong>
          </p>
          <p>
            <code class="tracking-url" data-testid="open311-key">
              {issued.apiKey}
            </code>
          </p>
          <p class="hint">{ot.keyOnce}</p>
          <button type="button" class="button" data-testid="open311-copy" onClick={() => void copy()}>
            {ot.copy}
          </button>
          {copied === true && (
            <span class="hint" role="status">
              {' '}
              {ot.copied}
            </span>
          )}
          {copied === false && (
            <span class="error" role="status">
              {' '}
              {ot.copyFailed}
            </span>
          )}
          <button type="button" class="button" onClick={() => setIssued(null)} data-testid="open311-close-key">
            {ot.done}
          </button>
        </div>
      )}

      <form class="inline-form" onSubmit={(e) => void submit(e)} ref={issue.form} data-testid="open311-form">
        <Field id="open311-name" label={ot.name} error={errors['body.name']} required>
          {(p) => <input {...p} value={name} maxLength={100} required onInput={(e) => setName(valueOf(e))} />}
        </Field>
        <Field id="open311-station" label={ot.station} error={errors['body.stationId']}>
          {(p) => (
            <select {...p} value={stationId} onChange={(e) => setStationId(valueOf(e))}>
              <option value="">{ot.firstStation}</option>
              {(stations.value?.items ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div class="buttons">
          <button type="submit" class="button primary" disabled={issue.busy || !committeeId} data-testid="open311-issue">
            {issue.busy ? ot.issuing : ot.issue}
          </button>
        </div>
      </form>
      {!Object.keys(errors).length && <ProblemText error={issue.error} />}
      <ProblemText error={revoke.error} />

      <ProblemText error={list.error} />
      {!list.value && !list.error && (
        <p class="skeleton-block" aria-busy="true">
          {at.loading}
        </p>
      )}
      {list.value && list.value.items.length === 0 && <p class="empty">{ot.none}</p>}
      {list.value && list.value.items.length > 0 && (
        <div class="table-wrap">
          <table class="grid stack" data-testid="open311-list">
            <caption class="visually-hidden">{ot.title}</caption>
            <thead>
              <tr>
                <th scope="col">{ot.name}</th>
                <th scope="col">{ot.prefix}</th>
                <th scope="col">{ot.station}</th>
                <th scope="col">{ot.created}</th>
                <th scope="col">{ot.lastUsed}</th>
                <th scope="col">{ot.state}</th>
                <th scope="col">
                  <span class="visually-hidden">{at.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.value.items.map((c) => (
                <tr key={c.id} data-testid="open311-row" data-client-id={c.id}>
                  <th scope="row" data-label={ot.name}>
                    {c.name}
                  </th>
                  <td data-label={ot.prefix}>
                    <code data-testid="open311-prefix">{c.keyPrefix}…</code>
                  </td>
                  <td data-label={ot.station}>{c.stationName ?? ot.firstStation}</td>
                  <td data-label={ot.created}>{when(c.createdAt)}</td>
                  <td data-label={ot.lastUsed}>{c.lastUsedAt ? when(c.lastUsedAt) : ot.never}</td>
                  <td data-label={ot.state}>
                    <span class={c.revokedAt ? 'pill m-inactive' : 'pill m-active'} data-testid="open311-state">
                      {c.revokedAt ? ot.revoked(when(c.revokedAt)) : ot.active}
                    </span>
                  </td>
                  <td class="actions">
                    {!c.revokedAt && (
                      <ConfirmButton
                        label={ot.revoke}
                        question={ot.revokeQuestion(c.name)}
                        onConfirm={() => end(c)}
                        disabled={revoke.busy}
                        testId="open311-revoke"
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
