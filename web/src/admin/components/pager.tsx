import { at } from '../admin-text'

/** Previous / next for an offset-paginated admin list, with where we are ("21–40 / 57"). */
export function Pager({ total, limit, offset, onChange }: { total: number; limit: number; offset: number; onChange: (offset: number) => void }) {
  if (total <= limit && offset === 0) return null
  const last = Math.min(offset + limit, total)
  return (
    <nav class="pager" aria-label={at.pages}>
      <button type="button" class="button" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        {at.previous}
      </button>
      <span role="status">{at.range(total === 0 ? 0 : offset + 1, last, total)}</span>
      <button type="button" class="button" disabled={last >= total} onClick={() => onChange(offset + limit)} data-testid="next-page">
        {at.next}
      </button>
    </nav>
  )
}
