import { useState } from 'preact/hooks'
import { COMMITTEE_LEVELS, type Committee, type CommitteeLevel } from '@mashangjian/shared'
import { adminApi } from '../admin-api'
import { at } from '../admin-text'
import { ConfirmButton } from '../components/confirm-button'
import { Done, Field, useAction, valueOf } from '../components/field'
import { ProblemText, fieldErrors } from '../components/problem-text'
import { useCommittees } from '../use-scope'

/** The level a new committee below this one has; none below a county. */
const below = (level: CommitteeLevel): CommitteeLevel | undefined => COMMITTEE_LEVELS[COMMITTEE_LEVELS.indexOf(level) + 1]

/** Depth in the tree from the committee list (the API lists a subtree in tree order, parents first). */
function depths(list: Committee[]): Map<string, number> {
  const depth = new Map<string, number>()
  for (const c of list) depth.set(c.id, c.parentId && depth.has(c.parentId) ? depth.get(c.parentId)! + 1 : 0)
  return depth
}

/**
 * The committee tree (province → city → county) a committee admin manages: add a committee below one of
 * theirs, rename it or change its case-number prefix, delete an empty one. Settings live on their own page.
 */
export function CommitteesPage() {
  const committees = useCommittees()
  const [editing, setEditing] = useState<Committee | 'new' | null>(null)
  const [toast, setToast] = useState<string | null>(null)
  const list = committees.value ?? []
  const depth = depths(list)
  const done = (message: string) => {
    setToast(message)
    setEditing(null)
    committees.reload()
  }
  return (
    <section class="admin-page" data-testid="committees-page" aria-labelledby="committees-title">
      <div class="page-head">
        <h2 id="committees-title">{at.committeesTitle}</h2>
        {list.some((c) => below(c.level)) && (
          <button
            type="button"
            class="button primary"
            onClick={() => {
              setToast(null)
              setEditing('new')
            }}
            data-testid="committee-new"
          >
            {at.addCommittee}
          </button>
        )}
      </div>
      <Done message={toast} />
      <ProblemText error={committees.error} />
      {!committees.value && !committees.error && (
        <p class="skeleton-block" aria-busy="true">
          {at.loading}
        </p>
      )}
      <div class={editing ? 'master-detail open' : 'master-detail'}>
        <div class="master">
          <ul class="tree" data-testid="committee-tree">
            {list.map((c) => (
              <li key={c.id} style={{ paddingInlineStart: `${depth.get(c.id)! * 1.5}rem` }} data-testid="committee-row">
                <span>
                  {c.name}{' '}
                  <span class="sub">
                    {at.levelsShort[c.level]} · {c.shortCode}
                  </span>
                </span>
                <button
                  type="button"
                  class="button"
                  aria-label={at.editWho(c.name)}
                  onClick={() => {
                    setToast(null)
                    setEditing(c)
                  }}
                >
                  {at.edit}
                </button>
              </li>
            ))}
          </ul>
        </div>
        {editing && (
          <aside class="detail" aria-label={editing === 'new' ? at.addCommittee : at.editWho(editing.name)}>
            <CommitteeEditor
              key={editing === 'new' ? 'new' : editing.id}
              committee={editing === 'new' ? null : editing}
              parents={list}
              onDone={done}
              onCancel={() => setEditing(null)}
            />
          </aside>
        )}
      </div>
    </section>
  )
}

function CommitteeEditor({
  committee,
  parents,
  onDone,
  onCancel,
}: {
  committee: Committee | null
  parents: Committee[]
  onDone: (message: string) => void
  onCancel: () => void
}) {
  // A new committee sits one level below its parent; county committees have none below them.
  const possibleParents = parents.filter((p) => below(p.level))
  const [draft, setDraft] = useState({ parentId: possibleParents[0]?.id ?? '', name: committee?.name ?? '', shortCode: committee?.shortCode ?? '' })
  const save = useAction()
  const remove = useAction()
  const errors = fieldErrors(save.error)
  const parent = parents.find((p) => p.id === draft.parentId)

  async function submit(e: Event) {
    e.preventDefault()
    const body = { name: draft.name.trim(), shortCode: draft.shortCode.trim().toUpperCase() }
    const saved = await save.run(() =>
      committee
        ? adminApi.patch<Committee>(`/api/v1/committees/${committee.id}`, body)
        : adminApi.post<Committee>('/api/v1/committees', { ...body, parentId: draft.parentId, level: parent ? below(parent.level) : 'county' }),
    )
    if (saved) onDone(committee ? at.savedWho(saved.name) : at.addedWho(saved.name))
  }

  return (
    <form ref={save.form} onSubmit={submit} noValidate data-testid="committee-form">
      <h3>{committee ? at.editWho(committee.name) : at.addCommittee}</h3>
      {!committee && (
        <Field id="committee-parent" label={at.parentCommittee} error={errors.parentId} required>
          {(p) => (
            <select {...p} value={draft.parentId} onChange={(e) => setDraft({ ...draft, parentId: valueOf(e) })}>
              {possibleParents.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field id="committee-name" label={at.itemName} error={errors.name} required>
        {(p) => <input {...p} value={draft.name} maxLength={100} onInput={(e) => setDraft({ ...draft, name: valueOf(e) })} />}
      </Field>
      <Field id="committee-code" label={at.shortCode} hint={at.shortCodeHint} error={errors.shortCode} required>
        {(p) => <input {...p} value={draft.shortCode} maxLength={10} autocomplete="off" onInput={(e) => setDraft({ ...draft, shortCode: valueOf(e) })} />}
      </Field>
      <ProblemText error={Object.keys(errors).length ? null : (save.error ?? remove.error)} />
      <div class="buttons">
        <button type="button" class="button" onClick={onCancel}>
          {at.cancel}
        </button>
        {committee && (
          <ConfirmButton
            label={at.delete}
            question={at.deleteQuestion(committee.name)}
            testId="committee-delete"
            onConfirm={async () => {
              if (
                await remove.run(async () => {
                  await adminApi.del(`/api/v1/committees/${committee.id}`)
                  return true
                })
              )
                onDone(at.deletedWho(committee.name))
            }}
          />
        )}
        <button type="submit" class="button primary" disabled={save.busy} data-testid="committee-save">
          {save.busy ? at.saving : at.save}
        </button>
      </div>
    </form>
  )
}
