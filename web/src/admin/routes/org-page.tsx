import { useState } from 'preact/hooks'
import type { CategoryView, Sector } from '@mashangjian/shared'
import { adminApi, withQuery, type Paged } from '../admin-api'
import { at } from '../admin-text'
import { CategoryMissingNames } from '../components/category-missing-names'
import { CommitteePicker } from '../components/committee-picker'
import { ConfirmButton } from '../components/confirm-button'
import { Done, Field, useAction, useFocusOnMount, valueOf } from '../components/field'
import { ProblemText, fieldErrors, onlyFieldErrors, SaveError } from '../components/problem-text'
import { SLA_CLASS_LIST } from '../sla-classes'
import { useRemote } from '../use-remote'
import { useCommitteeChoice } from '../use-scope'

/** Locales a category is named in on the scan page: Chinese required, the others optional. */
const NAME_LOCALES = ['zh-CN', 'en', 'ug', 'kk-Arab-CN'] as const
const RTL = new Set(['ug', 'kk-Arab-CN'])

/** 界别 (sectors) and 诉求类别 (case categories, with their names per language, sector affinity and SLA class). */
export function OrgPage() {
  const { committees, id, setId } = useCommitteeChoice()
  const sectors = useRemote(
    () => (id ? adminApi.get<Paged<Sector>>(withQuery('/api/v1/sectors', { committeeId: id, limit: 200 })) : Promise.resolve(null)),
    [id],
  )
  return (
    <section class="admin-page" data-testid="org-page" aria-labelledby="org-title">
      <h2 id="org-title">{at.orgTitle}</h2>
      <CommitteePicker committees={committees.value ?? []} value={id} onChange={setId} />
      <ProblemText error={committees.error} />
      {id && <Sectors key={`s${id}`} committeeId={id} sectors={sectors.value?.items} error={sectors.error} reload={sectors.reload} />}
      {id && <Categories key={`c${id}`} committeeId={id} sectors={sectors.value?.items ?? []} />}
    </section>
  )
}

function Sectors({ committeeId, sectors, error, reload }: { committeeId: string; sectors: Sector[] | undefined; error: unknown; reload: () => void }) {
  const [editing, setEditing] = useState<string | null>(null)
  const [toast, setToast] = useState<string | null>(null)
  return (
    <section class="sub-page" aria-labelledby="sectors-title" data-testid="sectors">
      <h3 id="sectors-title">{at.sectorsTitle}</h3>
      <p class="hint">{at.sectorsHint}</p>
      <Done message={toast} />
      <ProblemText error={error} />
      {!sectors && !error && (
        <p class="skeleton-block" aria-busy="true">
          {at.loading}
        </p>
      )}
      {sectors && sectors.length === 0 && <p class="empty">{at.noSectors}</p>}
      {sectors && sectors.length > 0 && (
        <ul class="rows">
          {sectors.map((s) => (
            <li key={s.id} data-testid="sector-row">
              {editing === s.id ? (
                <SectorForm
                  committeeId={committeeId}
                  sector={s}
                  onDone={(m) => {
                    setEditing(null)
                    setToast(m ?? null)
                    reload()
                  }}
                />
              ) : (
                <SectorRow
                  sector={s}
                  onEdit={() => {
                    setToast(null)
                    setEditing(s.id)
                  }}
                  onDeleted={(m) => {
                    setToast(m)
                    reload()
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <h4>{at.addSector}</h4>
      <SectorForm
        committeeId={committeeId}
        sector={null}
        nextOrder={sectors?.length ?? 0}
        onDone={(m) => {
          setToast(m ?? null)
          reload()
        }}
      />
    </section>
  )
}

function SectorRow({ sector, onEdit, onDeleted }: { sector: Sector; onEdit: () => void; onDeleted: (message: string) => void }) {
  const remove = useAction()
  async function del() {
    const ok = await remove.run(async () => {
      await adminApi.del(`/api/v1/sectors/${sector.id}`)
      return true
    })
    if (ok) onDeleted(at.deletedWho(sector.name))
  }
  return (
    <div class="row">
      <span class="row-main">{sector.name}</span>
      <span class="buttons inline">
        <button type="button" class="button" onClick={onEdit} aria-label={at.editWho(sector.name)}>
          {at.edit}
        </button>
        <ConfirmButton label={at.delete} question={at.deleteQuestion(sector.name)} onConfirm={del} disabled={remove.busy} />
      </span>
      <ProblemText error={remove.error} />
    </div>
  )
}

/** Add a sector, or rename / reorder one in place. */
function SectorForm({
  committeeId,
  sector,
  nextOrder = 0,
  onDone,
}: {
  committeeId: string
  sector: Sector | null
  nextOrder?: number
  onDone: (message?: string) => void
}) {
  const [name, setName] = useState(sector?.name ?? '')
  const [order, setOrder] = useState(String(sector?.sortOrder ?? ''))
  const save = useAction()
  const errors = fieldErrors(save.error)
  const prefix = sector ? `sector-${sector.id.slice(0, 8)}` : 'sector-new'
  async function submit(e: Event) {
    e.preventDefault()
    const sortOrder = order.trim() === '' ? (sector ? undefined : nextOrder) : Number(order)
    const body = { name: name.trim(), ...(sortOrder !== undefined && { sortOrder }) }
    const saved = await save.run(() =>
      sector ? adminApi.patch<Sector>(`/api/v1/sectors/${sector.id}`, body) : adminApi.post<Sector>('/api/v1/sectors', { ...body, committeeId }),
    )
    if (saved) {
      if (!sector) {
        setName('')
        setOrder('')
      }
      onDone(sector ? at.savedWho(saved.name) : at.addedWho(saved.name))
    }
  }
  return (
    <form class="row-form" ref={save.form} onSubmit={(e) => void submit(e)} noValidate data-testid={sector ? 'sector-edit' : 'sector-add'}>
      <Field id={`${prefix}-name`} label={at.sectorName} error={errors.name} required>
        {(p) => <input {...p} value={name} maxLength={64} onInput={(e) => setName(valueOf(e))} />}
      </Field>
      <Field id={`${prefix}-order`} label={at.sortOrder} error={errors.sortOrder}>
        {(p) => <input {...p} type="number" inputMode="numeric" step={1} value={order} onInput={(e) => setOrder(valueOf(e))} />}
      </Field>
      <div class="buttons inline">
        {sector && (
          <button type="button" class="button" onClick={() => onDone()}>
            {at.cancel}
          </button>
        )}
        <button type="submit" class="button primary" disabled={save.busy}>
          {sector ? at.save : at.add}
        </button>
      </div>
      {!onlyFieldErrors(save.error) && <ProblemText error={save.error} />}
    </form>
  )
}

function Categories({ committeeId, sectors }: { committeeId: string; sectors: Sector[] }) {
  const list = useRemote(() => adminApi.get<Paged<CategoryView>>(withQuery('/api/v1/categories', { committeeId, limit: 200 })), [committeeId])
  const [editing, setEditing] = useState<CategoryView | 'new' | null>(null)
  const [version, setVersion] = useState(0)
  const [toast, setToast] = useState<string | null>(null)
  const sectorName = (id: string | null) => sectors.find((s) => s.id === id)?.name ?? '—'
  const items = list.value?.items
  function done(message?: string) {
    setEditing(null)
    setVersion((v) => v + 1)
    if (message) setToast(message)
    list.reload()
  }
  return (
    <section class="sub-page" aria-labelledby="categories-title" data-testid="categories">
      <div class="page-head">
        <h3 id="categories-title">{at.categoriesTitle}</h3>
        <button
          type="button"
          class="button primary"
          onClick={() => {
            setToast(null)
            setEditing('new')
          }}
          data-testid="category-new"
        >
          {at.addCategory}
        </button>
      </div>
      <p class="hint">{at.categoriesHint}</p>
      <Done message={toast} />
      {editing && (
        <CategoryEditor
          key={editing === 'new' ? `new${version}` : `${editing.id}:${version}`}
          committeeId={committeeId}
          category={editing === 'new' ? null : editing}
          sectors={sectors}
          nextOrder={items?.length ?? 0}
          onDone={done}
        />
      )}
      <ProblemText error={list.error} />
      {!items && !list.error && (
        <p class="skeleton-block" aria-busy="true">
          {at.loading}
        </p>
      )}
      {items && items.length === 0 && <p class="empty">{at.noCategories}</p>}
      {items && items.length > 0 && <CategoryMissingNames items={items} />}
      {items && items.length > 0 && (
        <div class="table-wrap">
          <table class="grid stack" data-testid="category-list">
            <caption class="visually-hidden">{at.categoriesTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{at.itemName}</th>
                <th scope="col">{at.otherNames}</th>
                <th scope="col">{at.sectorAffinity}</th>
                <th scope="col">{at.slaClass}</th>
                <th scope="col">{at.status}</th>
                <th scope="col">
                  <span class="visually-hidden">{at.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} data-testid="category-row">
                  <th scope="row" data-label={at.itemName}>
                    {c.names['zh-CN']}
                  </th>
                  <td data-label={at.otherNames}>
                    {NAME_LOCALES.slice(1)
                      .filter((l) => c.names[l])
                      .map((l) => (
                        <span key={l} class="sub" lang={l} dir={RTL.has(l) ? 'rtl' : undefined}>
                          {c.names[l]}
                        </span>
                      ))}
                  </td>
                  <td data-label={at.sectorAffinity}>{sectorName(c.sectorId)}</td>
                  <td data-label={at.slaClass}>{at.slaClasses[c.slaClass]}</td>
                  <td data-label={at.status}>
                    <span class={c.active ? 'pill m-active' : 'pill m-inactive'}>{c.active ? at.inUse : at.notInUse}</span>
                  </td>
                  <td class="actions">
                    <div class="row-actions">
                      <button
                        type="button"
                        class="button"
                        aria-label={at.editWho(c.names['zh-CN'] ?? '')}
                        onClick={() => {
                          setToast(null)
                          setEditing(c)
                        }}
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
    </section>
  )
}

function CategoryEditor({
  committeeId,
  category,
  sectors,
  nextOrder,
  onDone,
}: {
  committeeId: string
  category: CategoryView | null
  sectors: Sector[]
  nextOrder: number
  onDone: (message?: string) => void
}) {
  const [names, setNames] = useState<Record<string, string>>(() => Object.fromEntries(NAME_LOCALES.map((l) => [l, category?.names[l] ?? ''])))
  const [sectorId, setSectorId] = useState(category?.sectorId ?? '')
  const [slaClass, setSlaClass] = useState<string>(category?.slaClass ?? 'general')
  const [order, setOrder] = useState(String(category?.sortOrder ?? nextOrder))
  const [active, setActive] = useState(category?.active ?? true)
  const save = useAction()
  const remove = useAction()
  const heading = useFocusOnMount<HTMLHeadingElement>()
  const errors = fieldErrors(save.error)

  async function submit(e: Event) {
    e.preventDefault()
    // Optional names left blank are left out (the API wants each given name non-empty).
    const given = Object.fromEntries(NAME_LOCALES.map((l) => [l, names[l]!.trim()]).filter(([l, v]) => l === 'zh-CN' || v))
    const body = { names: given, sectorId: sectorId || null, slaClass, sortOrder: order.trim() === '' ? 0 : Number(order), active }
    const saved = await save.run(() =>
      category
        ? adminApi.patch<CategoryView>(`/api/v1/categories/${category.id}`, body)
        : adminApi.post<CategoryView>('/api/v1/categories', { ...body, committeeId }),
    )
    if (saved) onDone(category ? at.savedWho(saved.names['zh-CN'] ?? '') : at.addedWho(saved.names['zh-CN'] ?? ''))
  }
  async function del() {
    if (!category) return
    const ok = await remove.run(async () => {
      await adminApi.del(`/api/v1/categories/${category.id}`)
      return true
    })
    if (ok) onDone(at.deletedWho(category.names['zh-CN'] ?? ''))
  }

  return (
    <div class="editor boxed" data-testid="category-editor">
      <h4 ref={heading} tabIndex={-1}>
        {category ? at.editWho(category.names['zh-CN'] ?? '') : at.addCategory}
      </h4>
      <form ref={save.form} onSubmit={(e) => void submit(e)} noValidate>
        <div class="pair">
          {NAME_LOCALES.map((l) => (
            <Field
              key={l}
              id={`category-name-${l}`}
              label={at.nameIn(at.localeNames[l] ?? l)}
              error={errors[`names.${l}`] ?? (l === 'zh-CN' ? errors.names : undefined)}
              required={l === 'zh-CN'}
            >
              {(p) => (
                <input
                  {...p}
                  lang={l}
                  dir={RTL.has(l) ? 'rtl' : undefined}
                  value={names[l]}
                  maxLength={64}
                  onInput={(e) => setNames((n) => ({ ...n, [l]: valueOf(e) }))}
                />
              )}
            </Field>
          ))}
        </div>
        <Field id="category-sector" label={at.sectorAffinity} error={errors.sectorId} hint={at.sectorAffinityHint}>
          {(p) => (
            <select {...p} value={sectorId} onChange={(e) => setSectorId(valueOf(e))}>
              <option value="">{at.noSector}</option>
              {sectors.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="category-sla" label={at.slaClass} error={errors.slaClass} hint={at.slaClassHint}>
          {(p) => (
            <select {...p} value={slaClass} onChange={(e) => setSlaClass(valueOf(e))}>
              {SLA_CLASS_LIST.map((c) => (
                <option key={c} value={c}>
                  {at.slaClasses[c]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="category-order" label={at.sortOrder} error={errors.sortOrder}>
          {(p) => <input {...p} type="number" inputMode="numeric" step={1} value={order} onInput={(e) => setOrder(valueOf(e))} />}
        </Field>
        <label class="choice">
          <input type="checkbox" checked={active} onChange={(e) => setActive((e.currentTarget as HTMLInputElement).checked)} /> {at.categoryActive}
        </label>
        <SaveError error={save.error} />
        <div class="buttons">
          {category && <ConfirmButton label={at.delete} question={at.deleteQuestion(category.names['zh-CN'] ?? '')} onConfirm={del} disabled={remove.busy} />}
          <button type="button" class="button" onClick={() => onDone()}>
            {at.close}
          </button>
          <button type="submit" class="button primary" disabled={save.busy} data-testid="category-save">
            {category ? at.save : at.add}
          </button>
        </div>
        <ProblemText error={remove.error} />
      </form>
    </div>
  )
}
