import { useState } from 'preact/hooks'
import { STATION_KINDS, type StationDetail } from '@mashangjian/shared'
import { useStatus } from '../../use-data'
import { ADMIN_BASE } from '../../paths'
import { adminApi, withQuery, type Paged } from '../admin-api'
import { at } from '../admin-text'
import { ConfirmButton } from '../components/confirm-button'
import { ChoiceGroup, Done, Field, useAction, useFocusOnMount, valueOf } from '../components/field'
import { Pager } from '../components/pager'
import { QrCodesPanel } from '../components/qr-codes-panel'
import { ProblemText, fieldErrors, SaveError } from '../components/problem-text'
import { SearchBox } from '../components/search-box'
import { useRemote } from '../use-remote'
import { isCommitteeAdmin, useCommittees } from '../use-scope'

const LIMIT = 20

/**
 * Stations (委员工作站, 工作室, 联络室, 驿站, 议事室): committee admins open, change and close them; station admins see
 * their own (what residents see on the scan page: name, address, open hours).
 */
export function StationsPage() {
  const { user } = useStatus()
  const canEdit = isCommitteeAdmin(user?.role)
  const [q, setQ] = useState('')
  const [active, setActive] = useState('')
  const [offset, setOffset] = useState(0)
  const [editing, setEditing] = useState<StationDetail | 'new' | null>(null)
  const [version, setVersion] = useState(0)
  const [toast, setToast] = useState<string | null>(null)
  const list = useRemote(() => adminApi.get<Paged<StationDetail>>(withQuery('/api/v1/stations', { q, active, limit: LIMIT, offset })), [q, active, offset])
  const committees = useCommittees()

  function saved(s: StationDetail, message: string) {
    setToast(message)
    setEditing(s)
    setVersion((v) => v + 1)
    list.reload()
  }
  function closed(message?: string) {
    setEditing(null)
    if (message) setToast(message)
    list.reload()
  }
  const page = list.value
  return (
    <section class="admin-page" data-testid="stations-page" aria-labelledby="stations-title">
      <div class="page-head">
        <h2 id="stations-title">{at.stationsTitle}</h2>
        {canEdit && (
          <button
            type="button"
            class="button primary"
            onClick={() => {
              setToast(null)
              setEditing('new')
            }}
            data-testid="station-new"
          >
            {at.addStation}
          </button>
        )}
      </div>
      {!canEdit && <p class="hint">{at.stationsReadOnly}</p>}
      <Done message={toast} />
      <div class={editing ? 'master-detail open' : 'master-detail'}>
        <div class="master">
          <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
            <SearchBox
              id="station-q"
              label={at.searchName}
              onSearch={(v) => {
                setQ(v)
                setOffset(0)
              }}
            />
            <div class="field">
              <label for="station-active-filter">{at.status}</label>
              <select
                id="station-active-filter"
                value={active}
                onChange={(e) => {
                  setActive(valueOf(e))
                  setOffset(0)
                }}
              >
                <option value="">{at.allStatuses}</option>
                <option value="true">{at.open}</option>
                <option value="false">{at.closed}</option>
              </select>
            </div>
          </form>
          <ProblemText error={list.error} />
          {!page && !list.error && (
            <p class="skeleton-block" aria-busy="true">
              {at.loading}
            </p>
          )}
          {page && page.items.length === 0 && <p class="empty">{q || active ? at.noMatches : at.noStations}</p>}
          {page && page.items.length > 0 && (
            <div class="table-wrap">
              <table class="grid stack" data-testid="station-list">
                <caption class="visually-hidden">{at.stationsTitle}</caption>
                <thead>
                  <tr>
                    <th scope="col">{at.itemName}</th>
                    <th scope="col">{at.address}</th>
                    <th scope="col">{at.openHours}</th>
                    <th scope="col">{at.memberCount}</th>
                    <th scope="col">{at.status}</th>
                    <th scope="col">
                      <span class="visually-hidden">{at.actions}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((s) => (
                    <tr key={s.id} data-testid="station-row" class={editing !== 'new' && editing?.id === s.id ? 'selected' : undefined}>
                      <th scope="row" data-label={at.itemName}>
                        {s.name}
                        <span class="sub">{at.stationKinds[s.kind]}</span>
                      </th>
                      <td data-label={at.address}>{s.address || '—'}</td>
                      <td data-label={at.openHours}>{s.openHours || '—'}</td>
                      <td data-label={at.memberCount}>{s.memberCount}</td>
                      <td data-label={at.status}>
                        <span class={s.active ? 'pill m-active' : 'pill m-inactive'}>{s.active ? at.open : at.closed}</span>
                      </td>
                      <td class="actions">
                        <div class="row-actions">
                          <a
                            class="button"
                            href={`${ADMIN_BASE}stations/${s.id}/reception`}
                            aria-label={`${s.name} ${at.duty.link}`}
                            data-testid="station-reception"
                          >
                            {at.duty.link}
                          </a>
                          {canEdit ? (
                            <button
                              type="button"
                              class="button"
                              aria-label={at.editWho(s.name)}
                              onClick={() => {
                                setToast(null)
                                setEditing(s)
                              }}
                              data-testid="station-edit"
                            >
                              {at.edit}
                            </button>
                          ) : (
                            <button
                              type="button"
                              class="button"
                              aria-label={`${s.name} ${at.qrTitle}`}
                              onClick={() => {
                                setToast(null)
                                setEditing(s)
                              }}
                              data-testid="station-qr"
                            >
                              {at.qrTitle}
                            </button>
                          )}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {page && <Pager total={page.total} limit={LIMIT} offset={offset} onChange={setOffset} />}
        </div>
        {editing && editing !== 'new' && !canEdit && (
          // Station admins do not change their station's details, but do manage its QR codes and placard.
          <aside class="detail" aria-label={`${editing.name} ${at.qrTitle}`}>
            <div class="editor" data-testid="station-qr-editor">
              <h3>{editing.name}</h3>
              <QrCodesPanel key={editing.id} holder={{ stationId: editing.id }} />
              <div class="buttons">
                <button type="button" class="button" onClick={() => closed()}>
                  {at.close}
                </button>
              </div>
            </div>
          </aside>
        )}
        {editing && canEdit && (
          <aside class="detail" aria-label={editing === 'new' ? at.addStation : at.editStation}>
            <StationEditor
              key={editing === 'new' ? 'new' : `${editing.id}:${version}`}
              station={editing === 'new' ? null : editing}
              committees={editing === 'new' ? (committees.value ?? []) : []}
              onSaved={saved}
              onClose={closed}
            />
          </aside>
        )}
      </div>
    </section>
  )
}

function StationEditor({
  station,
  committees,
  onSaved,
  onClose,
}: {
  station: StationDetail | null
  committees: { id: string; name: string }[]
  onSaved: (s: StationDetail, message: string) => void
  onClose: (message?: string) => void
}) {
  const [draft, setDraft] = useState({
    committeeId: committees[0]?.id ?? '',
    kind: station?.kind ?? 'workstation',
    name: station?.name ?? '',
    address: station?.address ?? '',
    openHours: station?.openHours ?? '',
    lat: station?.lat?.toString() ?? '',
    lng: station?.lng?.toString() ?? '',
    active: station?.active ?? true,
  })
  const save = useAction()
  const remove = useAction()
  const heading = useFocusOnMount<HTMLHeadingElement>()
  const errors = fieldErrors(save.error)
  const set = <K extends keyof typeof draft>(key: K, value: (typeof draft)[K]) => setDraft((d) => ({ ...d, [key]: value }))
  const coordinate = (v: string) => (v.trim() === '' ? null : Number(v))

  async function submit(e: Event) {
    e.preventDefault()
    const body = {
      kind: draft.kind,
      name: draft.name.trim(),
      address: draft.address.trim(),
      openHours: draft.openHours.trim(),
      lat: coordinate(draft.lat),
      lng: coordinate(draft.lng),
      active: draft.active,
    }
    const saved = await save.run(() =>
      station
        ? adminApi.patch<StationDetail>(`/api/v1/stations/${station.id}`, body)
        : adminApi.post<StationDetail>('/api/v1/stations', { ...body, ...(committees.length > 1 && { committeeId: draft.committeeId }) }),
    )
    if (saved) onSaved(saved, station ? at.savedWho(saved.name) : at.addedWho(saved.name))
  }
  async function del() {
    if (!station) return
    const ok = await remove.run(async () => {
      await adminApi.del(`/api/v1/stations/${station.id}`)
      return true
    })
    if (ok) onClose(at.deletedWho(station.name))
  }

  return (
    <div class="editor" data-testid="station-editor">
      <h3 ref={heading} tabIndex={-1}>
        {station ? at.editWho(station.name) : at.addStation}
      </h3>
      <form ref={save.form} onSubmit={(e) => void submit(e)} noValidate>
        {committees.length > 1 && (
          <Field id="station-committee" label={at.committee} error={errors.committeeId}>
            {(p) => (
              <select {...p} value={draft.committeeId} onChange={(e) => set('committeeId', valueOf(e))}>
                {committees.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field id="station-kind" label={at.stationKind} error={errors.kind}>
          {(p) => (
            <select {...p} value={draft.kind} onChange={(e) => set('kind', valueOf(e) as typeof draft.kind)}>
              {STATION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {at.stationKinds[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="station-name" label={at.itemName} error={errors.name} required>
          {(p) => <input {...p} value={draft.name} maxLength={64} onInput={(e) => set('name', valueOf(e))} />}
        </Field>
        <Field id="station-address" label={at.address} error={errors.address}>
          {(p) => <input {...p} value={draft.address} maxLength={200} onInput={(e) => set('address', valueOf(e))} />}
        </Field>
        <Field id="station-hours" label={at.openHours} error={errors.openHours} hint={at.openHoursHint}>
          {(p) => <textarea {...p} rows={2} maxLength={200} value={draft.openHours} onInput={(e) => set('openHours', valueOf(e))} />}
        </Field>
        <ChoiceGroup id="station-position" legend={at.position} hint={at.positionHint}>
          <div class="pair">
            <Field id="station-lat" label={at.latitude} error={errors.lat}>
              {(p) => (
                <input {...p} type="number" inputMode="decimal" step="any" min={-90} max={90} value={draft.lat} onInput={(e) => set('lat', valueOf(e))} />
              )}
            </Field>
            <Field id="station-lng" label={at.longitude} error={errors.lng}>
              {(p) => (
                <input {...p} type="number" inputMode="decimal" step="any" min={-180} max={180} value={draft.lng} onInput={(e) => set('lng', valueOf(e))} />
              )}
            </Field>
          </div>
        </ChoiceGroup>
        <label class="choice">
          <input
            type="checkbox"
            checked={draft.active}
            onChange={(e) => set('active', (e.currentTarget as HTMLInputElement).checked)}
            data-testid="station-active"
          />{' '}
          {at.stationOpen}
        </label>
        <SaveError error={save.error} />
        <div class="buttons">
          <button type="button" class="button" onClick={() => onClose()}>
            {at.close}
          </button>
          <button type="submit" class="button primary" disabled={save.busy} data-testid="station-save">
            {save.busy ? at.saving : station ? at.save : at.add}
          </button>
        </div>
      </form>
      {station && <QrCodesPanel holder={{ stationId: station.id }} />}
      {station && (
        <section class="sub-section danger-zone" aria-labelledby="station-remove-title">
          <h4 id="station-remove-title">{at.delete}</h4>
          <p class="hint">{at.removeStationHint}</p>
          <ProblemText error={remove.error} />
          <div class="buttons">
            <ConfirmButton label={at.delete} question={at.deleteQuestion(station.name)} onConfirm={del} disabled={remove.busy} />
          </div>
        </section>
      )}
    </div>
  )
}
