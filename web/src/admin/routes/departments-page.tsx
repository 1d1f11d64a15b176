import { useState } from 'preact/hooks'
import { DEPARTMENT_CHANNEL_PROVIDERS, DEPARTMENT_KINDS, type ChannelList, type DepartmentView } from '@mashangjian/shared'
import { useStatus } from '../../use-data'
import { adminApi, withQuery, type Paged } from '../admin-api'
import { at } from '../admin-text'
import { ConfirmButton } from '../components/confirm-button'
import { Done, Field, useAction, useFocusOnMount, valueOf } from '../components/field'
import { Pager } from '../components/pager'
import { ProblemText, fieldErrors, onlyFieldErrors } from '../components/problem-text'
import { SearchBox } from '../components/search-box'
import { useRemote } from '../use-remote'
import { isCommitteeAdmin, useCommittees } from '../use-scope'

const LIMIT = 20
const dp = at.departments

/**
 * 职能部门 (issue 14): committee admins keep the departments members hand matters to, each with a contact (phone
 * shown masked) and the group robot or webhook its hand-offs are posted to; station admins read the list.
 */
export function DepartmentsPage() {
  const { user } = useStatus()
  const canEdit = isCommitteeAdmin(user?.role)
  const [q, setQ] = useState('')
  const [kind, setKind] = useState('')
  const [active, setActive] = useState('')
  const [offset, setOffset] = useState(0)
  const [editing, setEditing] = useState<DepartmentView | 'new' | null>(null)
  const [version, setVersion] = useState(0)
  const [toast, setToast] = useState<string | null>(null)
  const toggle = useAction()
  const list = useRemote(
    () => adminApi.get<Paged<DepartmentView>>(withQuery('/api/v1/departments', { q, kind, active, limit: LIMIT, offset })),
    [q, kind, active, offset],
  )
  const committees = useCommittees()

  function saved(d: DepartmentView, message: string) {
    setToast(message)
    setEditing(d)
    setVersion((v) => v + 1)
    list.reload()
  }
  function closed(message?: string) {
    setEditing(null)
    if (message) setToast(message)
    list.reload()
  }
  async function flip(d: DepartmentView) {
    setToast(null)
    const changed = await toggle.run(() => adminApi.patch<DepartmentView>(`/api/v1/departments/${d.id}`, { active: !d.active }))
    if (!changed) return
    setToast(changed.active ? dp.activatedWho(changed.name) : dp.deactivatedWho(changed.name))
    if (editing !== 'new' && editing?.id === d.id) {
      setEditing(changed)
      setVersion((v) => v + 1)
    }
    list.reload()
  }
  const page = list.value
  return (
    <section class="admin-page" data-testid="departments-page" aria-labelledby="departments-title">
      <div class="page-head">
        <h2 id="departments-title">{dp.title}</h2>
        {canEdit && (
          <button
            type="button"
            class="button primary"
            onClick={() => {
              setToast(null)
              setEditing('new')
            }}
            data-testid="department-new"
          >
            {dp.add}
          </button>
        )}
      </div>
      <p class="hint">{canEdit ? dp.intro : dp.readOnly}</p>
      <Done message={toast} />
      <ProblemText error={toggle.error} />
      <div class={editing ? 'master-detail open' : 'master-detail'}>
        <div class="master">
          <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
            <SearchBox
              id="department-q"
              label={at.searchName}
              onSearch={(v) => {
                setQ(v)
                setOffset(0)
              }}
            />
            <div class="field">
              <label for="department-kind-filter">{dp.kind}</label>
              <select
                id="department-kind-filter"
                value={kind}
                onChange={(e) => {
                  setKind(valueOf(e))
                  setOffset(0)
                }}
              >
                <option value="">{dp.allKinds}</option>
                {DEPARTMENT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {dp.kinds[k]}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="department-active-filter">{at.status}</label>
              <select
                id="department-active-filter"
                value={active}
                onChange={(e) => {
                  setActive(valueOf(e))
                  setOffset(0)
                }}
              >
                <option value="">{at.allStatuses}</option>
                <option value="true">{dp.active}</option>
                <option value="false">{dp.inactive}</option>
              </select>
            </div>
          </form>
          <ProblemText error={list.error} />
          {!page && !list.error && (
            <p class="skeleton-block" aria-busy="true">
              {at.loading}
            </p>
          )}
          {page && page.items.length === 0 && <p class="empty">{q || kind || active ? at.noMatches : dp.none}</p>}
          {page && page.items.length > 0 && (
            <div class="table-wrap">
              <table class="grid stack" data-testid="department-list">
                <caption class="visually-hidden">{dp.title}</caption>
                <thead>
                  <tr>
                    <th scope="col">{dp.name}</th>
                    <th scope="col">{dp.contact}</th>
                    <th scope="col">{dp.robot}</th>
                    <th scope="col">{at.status}</th>
                    {canEdit && (
                      <th scope="col">
                        <span class="visually-hidden">{at.actions}</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((d) => (
                    <tr
                      key={d.id}
                      data-testid="department-row"
                      data-department-id={d.id}
                      class={editing !== 'new' && editing?.id === d.id ? 'selected' : undefined}
                    >
                      <th scope="row" data-label={dp.name}>
                        <span data-testid="department-name">{d.name}</span>
                        <span class="sub">{dp.kinds[d.kind]}</span>
                      </th>
                      <td data-label={dp.contact} data-testid="department-contact">
                        {d.contactName || '—'}
                        {d.contactPhoneMasked && <span class="sub">{d.contactPhoneMasked}</span>}
                      </td>
                      <td data-label={dp.robot} data-testid="department-robot">
                        {d.robotChannel ? `${d.robotChannel.name}${d.robotChannel.enabled ? '' : ` ${dp.robotOff}`}` : '—'}
                      </td>
                      <td data-label={at.status}>
                        <span class={d.active ? 'pill m-active' : 'pill m-inactive'} data-testid="department-state">
                          {d.active ? dp.active : dp.inactive}
                        </span>
                      </td>
                      {canEdit && (
                        <td class="actions">
                          <div class="row-actions">
                            <button
                              type="button"
                              class="button"
                              aria-label={at.editWho(d.name)}
                              onClick={() => {
                                setToast(null)
                                setEditing(d)
                              }}
                              data-testid="department-edit"
                            >
                              {at.edit}
                            </button>
                            <button
                              type="button"
                              class="button"
                              aria-label={d.active ? dp.deactivateWho(d.name) : dp.activateWho(d.name)}
                              disabled={toggle.busy}
                              onClick={() => void flip(d)}
                              data-testid="department-toggle"
                            >
                              {d.active ? dp.deactivate : dp.activate}
                            </button>
                          </div>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {page && <Pager total={page.total} limit={LIMIT} offset={offset} onChange={setOffset} />}
        </div>
        {editing && canEdit && (
          <aside class="detail" aria-label={editing === 'new' ? dp.add : dp.edit}>
            <DepartmentEditor
              key={editing === 'new' ? 'new' : `${editing.id}:${version}`}
              department={editing === 'new' ? null : editing}
              committees={editing === 'new' ? (committees.value ?? []) : []}
              defaultCommitteeId={user?.committeeId ?? ''}
              onSaved={saved}
              onClose={closed}
            />
          </aside>
        )}
      </div>
    </section>
  )
}

function DepartmentEditor({
  department,
  committees,
  defaultCommitteeId,
  onSaved,
  onClose,
}: {
  department: DepartmentView | null
  committees: { id: string; name: string }[]
  defaultCommitteeId: string
  onSaved: (d: DepartmentView, message: string) => void
  onClose: (message?: string) => void
}) {
  const [draft, setDraft] = useState({
    committeeId: committees[0]?.id ?? '',
    kind: department?.kind ?? 'bureau',
    name: department?.name ?? '',
    contactName: department?.contactName ?? '',
    contactPhone: '',
    removePhone: false,
    robotChannelId: department?.robotChannel?.id ?? '',
    active: department?.active ?? true,
  })
  const committeeId = department?.committeeId ?? (draft.committeeId || defaultCommitteeId)
  // The committee's group robots and webhooks (an SMS account is no group to post to).
  const channels = useRemote(
    async () =>
      committeeId
        ? (await adminApi.get<ChannelList>(withQuery('/api/v1/notification-channels', { committeeId }))).items.filter((c) =>
            (DEPARTMENT_CHANNEL_PROVIDERS as readonly string[]).includes(c.provider),
          )
        : [],
    [committeeId],
  )
  const save = useAction()
  const remove = useAction()
  const heading = useFocusOnMount<HTMLHeadingElement>()
  const errors = fieldErrors(save.error)
  const set = <K extends keyof typeof draft>(key: K, value: (typeof draft)[K]) => setDraft((d) => ({ ...d, [key]: value }))

  async function submit(e: Event) {
    e.preventDefault()
    const phone = draft.contactPhone.trim()
    const body = {
      kind: draft.kind,
      name: draft.name.trim(),
      contactName: draft.contactName.trim(),
      robotChannelId: draft.robotChannelId || null,
      active: draft.active,
      // The saved phone is never shown: an empty box keeps it, unless the admin asked to remove it.
      ...(phone ? { contactPhone: phone } : draft.removePhone ? { contactPhone: null } : {}),
    }
    const saved = await save.run(() =>
      department
        ? adminApi.patch<DepartmentView>(`/api/v1/departments/${department.id}`, body)
        : adminApi.post<DepartmentView>('/api/v1/departments', { ...body, ...(committees.length > 1 && { committeeId: draft.committeeId }) }),
    )
    if (saved) onSaved(saved, department ? at.savedWho(saved.name) : at.addedWho(saved.name))
  }
  async function del() {
    if (!department) return
    const ok = await remove.run(async () => {
      await adminApi.del(`/api/v1/departments/${department.id}`)
      return true
    })
    if (ok) onClose(at.deletedWho(department.name))
  }
  const channelList = channels.value ?? []
  const current = department?.robotChannel
  return (
    <div class="editor" data-testid="department-editor">
      <h3 ref={heading} tabIndex={-1}>
        {department ? at.editWho(department.name) : dp.add}
      </h3>
      <form ref={save.form} onSubmit={(e) => void submit(e)} noValidate>
        {committees.length > 1 && (
          <Field id="department-committee" label={at.committee} error={errors.committeeId}>
            {(p) => (
              <select {...p} value={draft.committeeId} onChange={(e) => setDraft((d) => ({ ...d, committeeId: valueOf(e), robotChannelId: '' }))}>
                {committees.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field id="department-name" label={dp.name} error={errors.name} required>
          {(p) => <input {...p} value={draft.name} maxLength={64} onInput={(e) => set('name', valueOf(e))} />}
        </Field>
        <Field id="department-kind" label={dp.kind} error={errors.kind}>
          {(p) => (
            <select {...p} value={draft.kind} onChange={(e) => set('kind', valueOf(e) as typeof draft.kind)}>
              {DEPARTMENT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {dp.kinds[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="department-contact-name" label={dp.contactName} error={errors.contactName}>
          {(p) => <input {...p} value={draft.contactName} maxLength={64} autoComplete="off" onInput={(e) => set('contactName', valueOf(e))} />}
        </Field>
        <Field
          id="department-phone"
          label={dp.contactPhone}
          error={errors.contactPhone}
          hint={department?.contactPhoneMasked ? dp.phoneSaved(department.contactPhoneMasked) : dp.phoneHint}
        >
          {(p) => (
            <input
              {...p}
              type="tel"
              inputMode="tel"
              autoComplete="off"
              maxLength={32}
              value={draft.contactPhone}
              placeholder={department?.contactPhoneMasked ?? ''}
              onInput={(e) => set('contactPhone', valueOf(e))}
            />
          )}
        </Field>
        {department?.contactPhoneMasked && (
          <label class="choice">
            <input
              type="checkbox"
              checked={draft.removePhone}
              onChange={(e) => set('removePhone', (e.currentTarget as HTMLInputElement).checked)}
              data-testid="department-remove-phone"
            />{' '}
            {dp.removePhone}
          </label>
        )}
        <Field id="department-robot" label={dp.robot} error={errors.robotChannelId} hint={dp.robotHint}>
          {(p) => (
            <select {...p} value={draft.robotChannelId} onChange={(e) => set('robotChannelId', valueOf(e))}>
              <option value="">{dp.noRobot}</option>
              {current && !channelList.some((c) => c.id === current.id) && <option value={current.id}>{current.name}</option>}
              {channelList.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                  {c.enabled ? '' : ` ${dp.robotOff}`}
                </option>
              ))}
            </select>
          )}
        </Field>
        <label class="choice">
          <input
            type="checkbox"
            checked={draft.active}
            onChange={(e) => set('active', (e.currentTarget as HTMLInputElement).checked)}
            data-testid="department-active"
          />{' '}
          {dp.activeChoice}
        </label>
        {onlyFieldErrors(save.error) || errors.name ? (
          <p class="error" role="alert">
            {at.fixFields}
          </p>
        ) : (
          <ProblemText error={save.error} />
        )}
        <div class="buttons">
          <button type="button" class="button" onClick={() => onClose()}>
            {at.close}
          </button>
          <button type="submit" class="button primary" disabled={save.busy} data-testid="department-save">
            {save.busy ? at.saving : department ? at.save : at.add}
          </button>
        </div>
      </form>
      {department && (
        <section class="sub-section danger-zone" aria-labelledby="department-remove-title">
          <h4 id="department-remove-title">{at.delete}</h4>
          <p class="hint">{dp.removeHint}</p>
          <ProblemText error={remove.error} />
          <div class="buttons">
            <ConfirmButton label={at.delete} question={at.deleteQuestion(department.name)} onConfirm={del} disabled={remove.busy} testId="department-delete" />
          </div>
        </section>
      )}
    </div>
  )
}
