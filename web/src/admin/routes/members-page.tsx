import { useState } from 'preact/hooks'
import { COMMITTEE_LEVELS, MEMBER_STATUSES, type MemberView, type StationDetail, type Sector } from '@mashangjian/shared'
import { useStatus } from '../../use-data'
import { adminApi, withQuery, type Paged } from '../admin-api'
import { at } from '../admin-text'
import { ConfirmButton } from '../components/confirm-button'
import { ChoiceGroup, Done, Field, useAction, useFocusOnMount, valueOf } from '../components/field'
import { Pager } from '../components/pager'
import { QrCodesPanel } from '../components/qr-codes-panel'
import { ProblemText, fieldErrors, onlyFieldErrors, SaveError } from '../components/problem-text'
import { SearchBox } from '../components/search-box'
import { useRemote } from '../use-remote'
import { isCommitteeAdmin, useCommittees } from '../use-scope'

const LIMIT = 20
type Station = StationDetail

/**
 * The roster: members the admin manages (a station admin: those of their stations), searchable by name, filtered by
 * station and status, a page at a time. Add or edit one in the panel beside the list (above it on a phone), with
 * the portrait; take a member off duty (停用) or delete one added by mistake.
 */
export function MembersPage() {
  const { user } = useStatus()
  const [q, setQ] = useState('')
  const [stationId, setStationId] = useState('')
  const [status, setStatus] = useState('')
  const [offset, setOffset] = useState(0)
  const [editing, setEditing] = useState<MemberView | 'new' | null>(null)
  const [toast, setToast] = useState<string | null>(null)
  const list = useRemote(
    () => adminApi.get<Paged<MemberView>>(withQuery('/api/v1/members', { q, stationId, status, limit: LIMIT, offset })),
    [q, stationId, status, offset],
  )
  const stations = useRemote(() => adminApi.get<Paged<StationDetail>>('/api/v1/stations?limit=200'), [])
  const committees = useCommittees()

  const filter = (set: (v: string) => void) => (v: string) => {
    set(v)
    setOffset(0)
  }
  function saved(m: MemberView, message: string) {
    setToast(message)
    setEditing(m)
    list.reload()
  }
  function closed(message?: string) {
    setEditing(null)
    if (message) setToast(message)
    list.reload()
  }

  const page = list.value
  return (
    <section class="admin-page" data-testid="members-page" aria-labelledby="members-title">
      <div class="page-head">
        <h2 id="members-title">{at.membersTitle}</h2>
        <button
          type="button"
          class="button primary"
          onClick={() => {
            setToast(null)
            setEditing('new')
          }}
          data-testid="member-new"
        >
          {at.addMember}
        </button>
      </div>
      <Done message={toast} />
      <div class={editing ? 'master-detail open' : 'master-detail'}>
        <div class="master">
          <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
            <SearchBox id="member-q" label={at.searchName} onSearch={filter(setQ)} />
            <div class="field">
              <label for="member-station-filter">{at.station}</label>
              <select id="member-station-filter" value={stationId} onChange={(e) => filter(setStationId)(valueOf(e))}>
                <option value="">{at.allStations}</option>
                {(stations.value?.items ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="member-status-filter">{at.status}</label>
              <select id="member-status-filter" value={status} onChange={(e) => filter(setStatus)(valueOf(e))}>
                <option value="">{at.allStatuses}</option>
                {MEMBER_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {at.memberStatuses[s]}
                  </option>
                ))}
              </select>
            </div>
          </form>
          <ProblemText error={list.error} />
          {!page && !list.error && (
            <p class="skeleton-block" aria-busy="true">
              {at.loading}
            </p>
          )}
          {page && page.items.length === 0 && (
            <p class="empty" data-testid="empty">
              {q || stationId || status ? at.noMatches : at.noMembers}
            </p>
          )}
          {page && page.items.length > 0 && (
            <div class="table-wrap">
              <table class="grid stack" data-testid="member-list" aria-busy={list.loading ? 'true' : undefined}>
                <caption class="visually-hidden">{at.membersTitle}</caption>
                <thead>
                  <tr>
                    <th scope="col">{at.name}</th>
                    <th scope="col">{at.level}</th>
                    <th scope="col">{at.sector}</th>
                    <th scope="col">{at.stations}</th>
                    <th scope="col">{at.status}</th>
                    <th scope="col">{at.phone}</th>
                    <th scope="col">
                      <span class="visually-hidden">{at.actions}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((m) => (
                    <tr key={m.id} data-testid="member-row" data-member-id={m.id} class={editing !== 'new' && editing?.id === m.id ? 'selected' : undefined}>
                      <th scope="row" data-label={at.name}>
                        <span class="who">
                          {m.photoUrl ? (
                            <img class="thumb" src={m.photoUrl} alt="" width={36} height={36} loading="lazy" />
                          ) : (
                            <span class="thumb none" aria-hidden="true">
                              {m.name.slice(0, 1)}
                            </span>
                          )}
                          <span>
                            <span data-testid="member-name">{m.name}</span>
                            {m.title && <span class="sub">{m.title}</span>}
                          </span>
                        </span>
                      </th>
                      <td data-label={at.level}>{at.levelsShort[m.level]}</td>
                      <td data-label={at.sector}>{m.sectorName ?? '—'}</td>
                      <td data-label={at.stations}>{m.stations.map((s) => s.name).join('、') || '—'}</td>
                      <td data-label={at.status}>
                        <span class={`pill m-${m.status}`}>{at.memberStatuses[m.status]}</span>
                      </td>
                      <td data-label={at.phone}>{m.phoneMasked ?? '—'}</td>
                      <td class="actions">
                        <div class="row-actions">
                          <button
                            type="button"
                            class="button"
                            onClick={() => {
                              setToast(null)
                              setEditing(m)
                            }}
                            aria-label={at.editWho(m.name)}
                            data-testid="member-edit"
                          >
                            {at.edit}
                          </button>
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
        {editing && (
          <aside class="detail" aria-label={editing === 'new' ? at.addMember : at.editMember}>
            <MemberEditor
              key={editing === 'new' ? 'new' : `${editing.id}:${editing.updatedAt}`}
              member={editing === 'new' ? null : editing}
              committeeId={editing === 'new' ? (user?.committeeId ?? committees.value?.[0]?.id ?? null) : editing.committeeId}
              committees={editing === 'new' && isCommitteeAdmin(user?.role) ? (committees.value ?? []) : []}
              stations={stations.value?.items ?? []}
              canDelete={isCommitteeAdmin(user?.role)}
              ownStations={user?.role === 'station_admin' ? user.stationIds : null}
              onSaved={saved}
              onClose={closed}
            />
          </aside>
        )}
      </div>
    </section>
  )
}

interface Draft {
  committeeId: string
  name: string
  title: string
  bio: string
  level: string
  sectorId: string
  stationIds: string[]
  status: string
  phone: string
  removePhone: boolean
  contactTargetPerYear: string
}

function draftOf(m: MemberView | null, committeeId: string, ownStations: string[] | null): Draft {
  return {
    committeeId,
    name: m?.name ?? '',
    title: m?.title ?? '',
    bio: m?.bio ?? '',
    level: m?.level ?? 'county',
    sectorId: m?.sectorId ?? '',
    // A station admin adding a member at their only station: already ticked.
    stationIds: m ? m.stations.map((s) => s.id) : ownStations?.length === 1 ? [...ownStations] : [],
    status: m?.status ?? 'active',
    phone: '',
    removePhone: false,
    contactTargetPerYear: String(m?.contactTargetPerYear ?? 10),
  }
}

/** Add or change one member; the server's message for a field shows under that field. */
function MemberEditor({
  member,
  committeeId,
  committees,
  stations,
  canDelete,
  ownStations,
  onSaved,
  onClose,
}: {
  member: MemberView | null
  committeeId: string | null
  committees: { id: string; name: string }[]
  stations: Station[]
  canDelete: boolean
  ownStations: string[] | null
  onSaved: (m: MemberView, message: string) => void
  onClose: (message?: string) => void
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(member, committeeId ?? '', ownStations))
  const save = useAction()
  const heading = useFocusOnMount<HTMLHeadingElement>()
  const sectors = useRemote(
    () =>
      draft.committeeId ? adminApi.get<Paged<Sector>>(withQuery('/api/v1/sectors', { committeeId: draft.committeeId, limit: 200 })) : Promise.resolve(null),
    [draft.committeeId],
  )
  const errors = fieldErrors(save.error)
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }))
  // Stations of the member's committee that the admin may link (a station admin: only theirs).
  const choices = stations.filter((s) => s.committeeId === draft.committeeId && (!ownStations || ownStations.includes(s.id)))

  async function submit(e: Event) {
    e.preventDefault()
    const target = draft.contactTargetPerYear.trim() === '' ? undefined : Number(draft.contactTargetPerYear)
    const common = {
      name: draft.name.trim(),
      level: draft.level,
      sectorId: draft.sectorId || null,
      title: draft.title.trim(),
      bio: draft.bio.trim(),
      status: draft.status,
      stationIds: draft.stationIds,
      ...(target !== undefined && { contactTargetPerYear: target }),
    }
    const phone = draft.removePhone ? { phone: null } : draft.phone.trim() ? { phone: draft.phone.trim() } : {}
    const saved = await save.run(() =>
      member
        ? adminApi.patch<MemberView>(`/api/v1/members/${member.id}`, { ...common, ...phone })
        : adminApi.post<MemberView>('/api/v1/members', { ...common, ...phone, ...(committees.length > 1 && { committeeId: draft.committeeId }) }),
    )
    if (saved) onSaved(saved, member ? at.savedWho(saved.name) : at.addedWho(saved.name))
  }

  return (
    <div class="editor" data-testid="member-editor">
      <h3 ref={heading} tabIndex={-1}>
        {member ? at.editWho(member.name) : at.addMember}
      </h3>
      <form ref={save.form} onSubmit={(e) => void submit(e)} noValidate>
        {committees.length > 1 && (
          <Field id="member-committee" label={at.committee} error={errors.committeeId}>
            {(p) => (
              <select {...p} value={draft.committeeId} onChange={(e) => setDraft((d) => ({ ...d, committeeId: valueOf(e), sectorId: '', stationIds: [] }))}>
                {committees.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field id="member-name" label={at.name} error={errors.name} required>
          {(p) => <input {...p} value={draft.name} maxLength={64} autoComplete="off" onInput={(e) => set('name', valueOf(e))} />}
        </Field>
        <Field id="member-phone" label={at.phone} error={errors.phone} hint={member?.phoneMasked ? at.phoneKept(member.phoneMasked) : at.phoneHint}>
          {(p) => (
            <input
              {...p}
              type="tel"
              inputMode="tel"
              value={draft.phone}
              maxLength={20}
              autoComplete="off"
              disabled={draft.removePhone}
              onInput={(e) => set('phone', valueOf(e))}
            />
          )}
        </Field>
        {member?.phoneMasked && (
          <label class="choice">
            <input type="checkbox" checked={draft.removePhone} onChange={(e) => set('removePhone', (e.currentTarget as HTMLInputElement).checked)} />{' '}
            {at.removePhone}
          </label>
        )}
        <ChoiceGroup id="member-level" legend={at.level} error={errors.level}>
          {COMMITTEE_LEVELS.map((l) => (
            <label key={l} class="choice">
              <input type="radio" name="member-level" value={l} checked={draft.level === l} onChange={() => set('level', l)} /> {at.levels[l]}
            </label>
          ))}
        </ChoiceGroup>
        <Field id="member-sector" label={at.sector} error={errors.sectorId}>
          {(p) => (
            <select {...p} value={draft.sectorId} onChange={(e) => set('sectorId', valueOf(e))}>
              <option value="">{at.noSector}</option>
              {(sectors.value?.items ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ChoiceGroup id="member-stations" legend={at.stations} error={errors.stationIds} hint={ownStations ? at.stationAdminStationsHint : undefined}>
          {choices.length === 0 && <p class="hint">{at.noStations}</p>}
          {choices.map((s) => (
            <label key={s.id} class="choice">
              <input
                type="checkbox"
                value={s.id}
                checked={draft.stationIds.includes(s.id)}
                onChange={(e) =>
                  set('stationIds', (e.currentTarget as HTMLInputElement).checked ? [...draft.stationIds, s.id] : draft.stationIds.filter((x) => x !== s.id))
                }
              />{' '}
              {s.name}
              {!s.active && ` (${at.inactive})`}
            </label>
          ))}
        </ChoiceGroup>
        <Field id="member-title" label={at.memberTitle} error={errors.title} hint={at.memberTitleHint}>
          {(p) => <input {...p} value={draft.title} maxLength={100} onInput={(e) => set('title', valueOf(e))} />}
        </Field>
        <ChoiceGroup id="member-status" legend={at.status} error={errors.status} hint={at.memberStatusHint}>
          {MEMBER_STATUSES.map((s) => (
            <label key={s} class="choice">
              <input type="radio" name="member-status" value={s} checked={draft.status === s} onChange={() => set('status', s)} /> {at.memberStatuses[s]}
            </label>
          ))}
        </ChoiceGroup>
        <Field id="member-contacts" label={at.contactTarget} error={errors.contactTargetPerYear} hint={at.contactTargetHint}>
          {(p) => (
            <input
              {...p}
              type="number"
              inputMode="numeric"
              min={0}
              max={1000}
              step={1}
              value={draft.contactTargetPerYear}
              onInput={(e) => set('contactTargetPerYear', valueOf(e))}
            />
          )}
        </Field>
        <Field id="member-bio" label={at.bio} error={errors.bio}>
          {(p) => <textarea {...p} rows={3} maxLength={2000} value={draft.bio} onInput={(e) => set('bio', valueOf(e))} />}
        </Field>
        <SaveError error={save.error} />
        <div class="buttons">
          <button type="button" class="button" onClick={() => onClose()}>
            {at.close}
          </button>
          <button type="submit" class="button primary" disabled={save.busy} data-testid="member-save">
            {save.busy ? at.saving : member ? at.save : at.add}
          </button>
        </div>
      </form>
      {member && <MemberPhoto member={member} onChanged={(m) => onSaved(m, at.photoSaved)} />}
      {member && <QrCodesPanel holder={{ memberId: member.id }} />}
      {member && <MemberRemoval member={member} canDelete={canDelete} onSaved={onSaved} onClose={onClose} />}
    </div>
  )
}

/** The portrait the scan page and placards show: upload (re-encoded, EXIF stripped by the server) or remove. */
function MemberPhoto({ member, onChanged }: { member: MemberView; onChanged: (m: MemberView) => void }) {
  const [file, setFile] = useState<File | null>(null)
  const action = useAction()
  const errors = fieldErrors(action.error)
  async function upload(e: Event) {
    e.preventDefault()
    if (!file) return
    const form = new FormData()
    form.append('photo', file, file.name)
    const m = await action.run(() => adminApi.upload<MemberView>(`/api/v1/members/${member.id}/photo`, form, 'PUT'))
    if (m) {
      setFile(null)
      onChanged(m)
    }
  }
  async function remove() {
    const m = await action.run(() => adminApi.del<MemberView>(`/api/v1/members/${member.id}/photo`))
    if (m) onChanged(m)
  }
  return (
    <section class="sub-section" aria-labelledby="member-photo-title">
      <h4 id="member-photo-title">{at.photo}</h4>
      {member.photoUrl ? (
        <img class="portrait" src={member.photoUrl} alt={at.photoOf(member.name)} width={120} height={160} data-testid="member-photo" />
      ) : (
        <p class="hint">{at.noPhoto}</p>
      )}
      <form ref={action.form} onSubmit={(e) => void upload(e)}>
        <Field id="member-photo-file" label={member.photoUrl ? at.replacePhoto : at.uploadPhoto} error={errors.photo} hint={at.photoHint}>
          {(p) => (
            <input
              {...p}
              type="file"
              accept="image/*"
              data-testid="member-photo-file"
              onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
            />
          )}
        </Field>
        {!onlyFieldErrors(action.error) && <ProblemText error={action.error} />}
        <div class="buttons">
          {member.photoUrl && (
            <ConfirmButton
              label={at.removePhotoButton}
              question={at.removePhotoQuestion}
              onConfirm={remove}
              disabled={action.busy}
              testId="member-photo-remove"
            />
          )}
          <button type="submit" class="button primary" disabled={!file || action.busy} data-testid="member-photo-upload">
            {action.busy ? at.saving : at.upload}
          </button>
        </div>
      </form>
    </section>
  )
}

/** Off duty (停用, keeps the history and the ledger) or, for one added by mistake, delete. */
function MemberRemoval({
  member,
  canDelete,
  onSaved,
  onClose,
}: {
  member: MemberView
  canDelete: boolean
  onSaved: (m: MemberView, message: string) => void
  onClose: (message?: string) => void
}) {
  const action = useAction()
  async function deactivate() {
    const m = await action.run(() => adminApi.patch<MemberView>(`/api/v1/members/${member.id}`, { status: 'inactive' }))
    if (m) onSaved(m, at.deactivatedWho(m.name))
  }
  async function remove() {
    const ok = await action.run(async () => {
      await adminApi.del(`/api/v1/members/${member.id}`)
      return true
    })
    if (ok) onClose(at.deletedWho(member.name))
  }
  return (
    <section class="sub-section danger-zone" aria-labelledby="member-remove-title">
      <h4 id="member-remove-title">{at.removeMemberTitle}</h4>
      <p class="hint">{at.removeMemberHint}</p>
      <ProblemText error={action.error} />
      <div class="buttons">
        {member.status !== 'inactive' && (
          <ConfirmButton
            label={at.deactivate}
            question={at.deactivateQuestion(member.name)}
            onConfirm={deactivate}
            disabled={action.busy}
            testId="member-deactivate"
          />
        )}
        {canDelete && (
          <ConfirmButton label={at.delete} question={at.deleteQuestion(member.name)} onConfirm={remove} disabled={action.busy} testId="member-delete" />
        )}
      </div>
    </section>
  )
}
