import type { CaseSummary } from '@mashangjian/shared'
import { runningDeadline } from '../data'
import { duration, t } from '../i18n'

/** "接单时限 · 剩余 3 小时" or "已超期 2 天", from the deadline that runs now. */
export function Deadline({ c, now }: { c: CaseSummary; now: number }) {
  const d = runningDeadline(c)
  if (!d) return null
  const left = new Date(d.at).getTime() - now
  const label = d.kind === 'accept' ? t.acceptBy : t.resolveBy
  return (
    <span class={left < 0 ? 'deadline late' : left < 4 * 3600_000 ? 'deadline soon' : 'deadline'}>
      {label} · {left < 0 ? t.overdueBy(duration(left)) : t.dueIn(duration(left))}
    </span>
  )
}
