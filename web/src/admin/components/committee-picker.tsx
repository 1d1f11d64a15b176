import type { Committee } from '@mashangjian/shared'
import { at } from '../admin-text'

/**
 * Which committee a page works on, for admins whose scope holds more than one (a city with its counties); an admin
 * of a single committee sees just its name.
 */
export function CommitteePicker({ committees, value, onChange }: { committees: Committee[]; value: string; onChange: (id: string) => void }) {
  if (committees.length === 0) return null
  if (committees.length === 1)
    return (
      <p class="hint">
        {at.committee}：{committees[0]!.name}
      </p>
    )
  return (
    <div class="field committee-picker">
      <label for="committee-picker">{at.committee}</label>
      <select id="committee-picker" value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        {committees.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </div>
  )
}
