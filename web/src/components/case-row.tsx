import type { CaseView } from '../data'
import { t } from '../i18n'
import { CategoryName } from './category-name'
import { Deadline } from './deadline'

export function CaseRow({ view, now }: { view: CaseView; now: number }) {
  const c = view.case
  return (
    <li>
      <a class="case-row" href={`${import.meta.env.BASE_URL}cases/${c.id}`} data-testid="case-row" data-case-id={c.id}>
        <span class="row-top">
          <span class={`status s-${c.status}`}>{t.status[c.status]}</span>
          <bdi class="no" dir="ltr">
            {c.publicNo}
          </bdi>
          {view.attention.length > 0 && <span class="badge conflict">{t.conflictBadge}</span>}
          {view.pending.length > 0 && (
            <span class="badge pending" data-testid="pending-badge">
              {t.pendingBadge}
            </span>
          )}
          {c.awaitingDepartment && (
            <span class="badge awaiting" data-testid="awaiting-department">
              {t.awaitingDepartment}
            </span>
          )}
        </span>
        <span class="desc">{c.description}</span>
        <span class="row-bottom">
          <CategoryName names={c.categoryNames} />
          <Deadline c={c} now={now} />
        </span>
      </a>
    </li>
  )
}
