import { useState } from 'preact/hooks'
import type { Role, UserView, StationDetail, MemberView } from '@mashangjian/shared'
import { dateTime } from '../../i18n'
import { useStatus } from '../../use-data'
import { adminApi, withQuery, type Paged } from '../admin-api'
import { at } from '../admin-text'
import { ConfirmButton } from '../components/confirm-button'
import { ChoiceGroup, Done, Field, useAction, useFocusOnMount, valueOf } from '../components/field'
import { Pager } from '../components/pager'
import { ProblemText, fieldErrors, onlyFieldErrors, SaveError } from '../components/problem-text'
import { SearchBox } from '../components/search-box'
import { useRemote } from '../use-remote'
import { useCommittees } from '../use-scope'

const LIMIT = 20
/** Roles an admin may hand out and manage (the API's rule: never above one's own). */
const GRANTABLE: Record<Role, Role[]> = {
  system_admin: ['member', 'station_admin', 'committee_admin', 'system_admin'],
  committee_admin: ['member', 'station_admin', 'committee_admin'],
  station_admin: [],
  member: [],
}

/** Sign-in accounts of the committee subtree: create, rename, a station admin's stations, disable, reset the password. */
export function UsersPage() {
  const { user } = useStatus()
  const grantable = GRANTABLE[user?.role ?? 'member']
  const [q, setQ] = useState('')
  const [role, setRole] = useState('')
  const [offset, setOffset] = useState(0)
  const [editing, setEditing] = useState<UserView | 'new' | null>(null)
  const [version, setVersion] = useState(0)
  const [toast, setToast] = useState<string | null>(null)
  const list = useRemote(() => adminApi.get<Paged<UserView>>(withQuery('/api/v1/users', { q, role, limit: LIMIT, offset })), [q, role, offset])
  const committees = useCommittees()
  const stations = useRemote(() => adminApi.get<Paged<StationDetail>>('/api/v1/stations?limit=200'), [])
  const stationName = (id: string) => stations.value?.items.find((s) => s.id === id)?.name ?? '…'
  const committeeName = (id: string | null) => (id ? (committees.value?.find((c) => c.id === id)?.name ?? '') : '')

  function saved(message: string, u?: UserView) {
    setToast(message)
    setEditing(u ?? null)
    setVersion((v) => v + 1)
    list.reload()
  }
  const page = list.value
  return (
    <section class="admin-page" data-testid="users-page" aria-labelledby="users-title">
      <div class="page-head">
        <h2 id="users-title">{at.usersTitle}</h2>
        <button
          type="button"
          class="button primary"
          onClick={() => {
            setToast(null)
            setEditing('new')
          }}
          data-testid="user-new"
        >
          {at.addUser}
        </button>
      </div>
      <Done message={toast} />
      <div class={editing ? 'master-detail open' : 'master-detail'}>
        <div class="master">
          <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
            <SearchBox
              id="user-q"
              label={at.searchUser}
              onSearch={(v) => {
                setQ(v)
                setOffset(0)
              }}
            />
            <div class="field">
              <label for="user-role-filter">{at.role}</label>
              <select
                id="user-role-filter"
                value={role}
                onChange={(e) => {
                  setRole(valueOf(e))
                  setOffset(0)
                }}
              >
                <option value="">{at.allRoles}</option>
                {GRANTABLE.system_admin.map((r) => (
                  <option key={r} value={r}>
                    {at.roles[r]}
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
          {page && page.items.length === 0 && <p class="empty">{at.noMatches}</p>}
          {page && page.items.length > 0 && (
            <div class="table-wrap">
              <table class="grid stack" data-testid="user-list">
                <caption class="visually-hidden">{at.usersTitle}</caption>
                <thead>
                  <tr>
                    <th scope="col">{at.displayName}</th>
                    <th scope="col">{at.username}</th>
                    <th scope="col">{at.role}</th>
                    <th scope="col">{at.scopeOf}</th>
                    <th scope="col">{at.lastLogin}</th>
                    <th scope="col">{at.status}</th>
                    <th scope="col">
                      <span class="visually-hidden">{at.actions}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((u) => (
                    <tr key={u.id} data-testid="user-row" data-username={u.username}>
                      <th scope="row" data-label={at.displayName}>
                        {u.displayName}
                      </th>
                      <td data-label={at.username}>{u.username}</td>
                      <td data-label={at.role}>{at.roles[u.role]}</td>
                      <td data-label={at.scopeOf}>
                        {u.role === 'station_admin' ? u.stationIds.map(stationName).join('、') : committeeName(u.committeeId) || '—'}
                      </td>
                      <td data-label={at.lastLogin}>{u.lastLoginAt ? dateTime(u.lastLoginAt) : at.never}</td>
                      <td data-label={at.status}>
                        <span class={u.disabled ? 'pill m-inactive' : 'pill m-active'}>{u.disabled ? at.disabled : at.enabled}</span>
                        {u.lockedUntil && (
                          <>
                            {' '}
                            <span class="pill m-inactive">{at.locked}</span>
                          </>
                        )}
                      </td>
                      <td class="actions">
                        <div class="row-actions">
                          {grantable.includes(u.role) && (
                            <button
                              type="button"
                              class="button"
                              aria-label={at.editWho(u.displayName)}
                              onClick={() => {
                                setToast(null)
                                setEditing(u)
                              }}
                            >
                              {at.edit}
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
        {editing && (
          <aside class="detail" aria-label={editing === 'new' ? at.addUser : at.editUser}>
            {editing === 'new' ? (
              <NewUser
                key={`new${version}`}
                roles={grantable}
                defaultCommittee={user?.committeeId ?? committees.value?.[0]?.id ?? ''}
                committees={committees.value ?? []}
                stations={stations.value?.items ?? []}
                onSaved={(m) => saved(m)}
                onClose={() => setEditing(null)}
              />
            ) : (
              <EditUser
                key={`${editing.id}:${version}`}
                account={editing}
                self={editing.id === user?.id}
                stations={(stations.value?.items ?? []).filter((s) => s.committeeId === editing.committeeId)}
                onSaved={saved}
                onClose={() => setEditing(null)}
              />
            )}
          </aside>
        )}
      </div>
    </section>
  )
}

function NewUser({
  roles,
  defaultCommittee,
  committees,
  stations,
  onSaved,
  onClose,
}: {
  roles: Role[]
  defaultCommittee: string
  committees: { id: string; name: string }[]
  stations: StationDetail[]
  onSaved: (message: string) => void
  onClose: () => void
}) {
  const [draft, setDraft] = useState({
    username: '',
    displayName: '',
    password: '',
    role: 'station_admin' as Role,
    committeeId: defaultCommittee,
    memberId: '',
    stationIds: [] as string[],
  })
  const save = useAction()
  const heading = useFocusOnMount<HTMLHeadingElement>()
  const errors = fieldErrors(save.error)
  const set = <K extends keyof typeof draft>(key: K, value: (typeof draft)[K]) => setDraft((d) => ({ ...d, [key]: value }))
  const members = useRemote(
    () =>
      draft.role === 'member' && draft.committeeId
        ? adminApi.get<Paged<MemberView>>(withQuery('/api/v1/members', { committeeId: draft.committeeId, limit: 200 }))
        : Promise.resolve(null),
    [draft.role, draft.committeeId],
  )
  const ownStations = stations.filter((s) => s.committeeId === draft.committeeId)

  async function submit(e: Event) {
    e.preventDefault()
    const body = {
      username: draft.username.trim(),
      displayName: draft.displayName.trim(),
      password: draft.password,
      role: draft.role,
      ...(draft.role !== 'system_admin' && draft.committeeId && { committeeId: draft.committeeId }),
      ...(draft.role === 'member' && { memberId: draft.memberId || undefined }),
      ...(draft.role === 'station_admin' && { stationIds: draft.stationIds }),
    }
    const created = await save.run(() => adminApi.post<{ username: string }>('/api/v1/users', body))
    if (created) onSaved(at.userCreated(created.username))
  }

  return (
    <div class="editor" data-testid="user-editor">
      <h3 ref={heading} tabIndex={-1}>
        {at.addUser}
      </h3>
      <form ref={save.form} onSubmit={(e) => void submit(e)} noValidate>
        <ChoiceGroup id="user-role" legend={at.role} error={errors.role}>
          {roles.map((r) => (
            <label key={r} class="choice">
              <input type="radio" name="user-role" checked={draft.role === r} onChange={() => set('role', r)} /> {at.roles[r]}
            </label>
          ))}
        </ChoiceGroup>
        {draft.role !== 'system_admin' && committees.length > 1 && (
          <Field id="user-committee" label={at.committee} error={errors.committeeId}>
            {(p) => (
              <select {...p} value={draft.committeeId} onChange={(e) => setDraft((d) => ({ ...d, committeeId: valueOf(e), memberId: '', stationIds: [] }))}>
                {committees.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {draft.role === 'member' && (
          <Field id="user-member" label={at.memberOfAccount} error={errors.memberId}>
            {(p) => (
              <select {...p} value={draft.memberId} onChange={(e) => set('memberId', valueOf(e))}>
                <option value="">{at.choose}</option>
                {(members.value?.items ?? []).map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                    {m.title && ` · ${m.title}`}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {draft.role === 'station_admin' && (
          <ChoiceGroup id="user-stations" legend={at.stations} error={errors.stationIds}>
            {ownStations.map((s) => (
              <label key={s.id} class="choice">
                <input
                  type="checkbox"
                  checked={draft.stationIds.includes(s.id)}
                  onChange={(e) =>
                    set('stationIds', (e.currentTarget as HTMLInputElement).checked ? [...draft.stationIds, s.id] : draft.stationIds.filter((x) => x !== s.id))
                  }
                />{' '}
                {s.name}
              </label>
            ))}
          </ChoiceGroup>
        )}
        <Field id="user-display" label={at.displayName} error={errors.displayName} required>
          {(p) => <input {...p} value={draft.displayName} maxLength={64} onInput={(e) => set('displayName', valueOf(e))} />}
        </Field>
        <Field id="user-username" label={at.username} error={errors.username} hint={at.usernameHint} required>
          {(p) => (
            <input
              {...p}
              value={draft.username}
              maxLength={64}
              autoComplete="off"
              autoCapitalize="none"
              spellcheck={false}
              onInput={(e) => set('username', valueOf(e))}
            />
          )}
        </Field>
        <Field id="user-password" label={at.initialPassword} error={errors.password} hint={at.passwordHint} required>
          {(p) => (
            <input {...p} type="password" value={draft.password} maxLength={256} autoComplete="new-password" onInput={(e) => set('password', valueOf(e))} />
          )}
        </Field>
        <SaveError error={save.error} />
        <div class="buttons">
          <button type="button" class="button" onClick={onClose}>
            {at.close}
          </button>
          <button type="submit" class="button primary" disabled={save.busy} data-testid="user-save">
            {at.add}
          </button>
        </div>
      </form>
    </div>
  )
}

function EditUser({
  account,
  self,
  stations,
  onSaved,
  onClose,
}: {
  account: UserView
  self: boolean
  stations: StationDetail[]
  onSaved: (message: string, u?: UserView) => void
  onClose: () => void
}) {
  const [displayName, setDisplayName] = useState(account.displayName)
  const [stationIds, setStationIds] = useState(account.stationIds)
  const [password, setPassword] = useState('')
  const save = useAction()
  const reset = useAction()
  const toggle = useAction()
  const unlock = useAction()
  const heading = useFocusOnMount<HTMLHeadingElement>()
  const errors = fieldErrors(save.error)
  const resetErrors = fieldErrors(reset.error)
  const patch = (body: object) => adminApi.patch<UserView>(`/api/v1/users/${account.id}`, body)

  async function submit(e: Event) {
    e.preventDefault()
    const u = await save.run(() => patch({ displayName: displayName.trim(), ...(account.role === 'station_admin' && { stationIds }) }))
    if (u) onSaved(at.savedWho(u.displayName), u)
  }
  async function resetPassword(e: Event) {
    e.preventDefault()
    const u = await reset.run(() => patch({ password }))
    if (u) onSaved(at.passwordReset(u.displayName), u)
  }
  async function setDisabled(disabled: boolean) {
    const u = await toggle.run(() => patch({ disabled }))
    if (u) onSaved(disabled ? at.userDisabled(u.displayName) : at.userEnabled(u.displayName), u)
  }

  async function unlockAccount() {
    const u = await unlock.run(() => adminApi.post<UserView>(`/api/v1/users/${account.id}/unlock`, {}))
    if (u) onSaved(at.userUnlocked(u.displayName), u)
  }

  return (
    <div class="editor" data-testid="user-editor">
      <h3 ref={heading} tabIndex={-1}>
        {at.editWho(account.displayName)}
      </h3>
      <p class="hint">
        {at.roles[account.role]} · {account.username}
      </p>
      <form ref={save.form} onSubmit={(e) => void submit(e)} noValidate>
        <Field id="edit-user-display" label={at.displayName} error={errors.displayName} required>
          {(p) => <input {...p} value={displayName} maxLength={64} onInput={(e) => setDisplayName(valueOf(e))} />}
        </Field>
        {account.role === 'station_admin' && (
          <ChoiceGroup id="edit-user-stations" legend={at.stations} error={errors.stationIds}>
            {stations.map((s) => (
              <label key={s.id} class="choice">
                <input
                  type="checkbox"
                  checked={stationIds.includes(s.id)}
                  onChange={(e) => setStationIds((e.currentTarget as HTMLInputElement).checked ? [...stationIds, s.id] : stationIds.filter((x) => x !== s.id))}
                />{' '}
                {s.name}
              </label>
            ))}
          </ChoiceGroup>
        )}
        <SaveError error={save.error} />
        <div class="buttons">
          <button type="button" class="button" onClick={onClose}>
            {at.close}
          </button>
          <button type="submit" class="button primary" disabled={save.busy}>
            {at.save}
          </button>
        </div>
      </form>
      {account.lockedUntil && (
        <section class="sub-section" aria-labelledby="unlock-title">
          <h4 id="unlock-title">{at.unlockUser}</h4>
          <p class="hint">{at.lockedHint(dateTime(account.lockedUntil))}</p>
          <ProblemText error={unlock.error} />
          <div class="buttons">
            <button type="button" class="button" onClick={() => void unlockAccount()} disabled={unlock.busy} data-testid="user-unlock">
              {at.unlockUser}
            </button>
          </div>
        </section>
      )}
      <section class="sub-section" aria-labelledby="reset-title">
        <h4 id="reset-title">{at.resetPassword}</h4>
        <form ref={reset.form} onSubmit={(e) => void resetPassword(e)} noValidate>
          <Field id="reset-password" label={at.newPassword} error={resetErrors.password} hint={at.resetHint}>
            {(p) => <input {...p} type="password" value={password} maxLength={256} autoComplete="new-password" onInput={(e) => setPassword(valueOf(e))} />}
          </Field>
          {!onlyFieldErrors(reset.error) && <ProblemText error={reset.error} />}
          <div class="buttons">
            <button type="submit" class="button" disabled={reset.busy || !password} data-testid="reset-password">
              {at.resetPassword}
            </button>
          </div>
        </form>
      </section>
      {!self && (
        <section class="sub-section danger-zone" aria-labelledby="disable-title">
          <h4 id="disable-title">{account.disabled ? at.enableUser : at.disableUser}</h4>
          <p class="hint">{account.disabled ? at.enableHint : at.disableHint}</p>
          <ProblemText error={toggle.error} />
          <div class="buttons">
            {account.disabled ? (
              <button type="button" class="button" onClick={() => void setDisabled(false)} disabled={toggle.busy}>
                {at.enableUser}
              </button>
            ) : (
              <ConfirmButton
                label={at.disableUser}
                question={at.disableQuestion(account.displayName)}
                onConfirm={() => setDisabled(true)}
                disabled={toggle.busy}
                testId="user-disable"
              />
            )}
          </div>
        </section>
      )}
    </div>
  )
}
