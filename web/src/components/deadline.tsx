import type { CaseSummary } from '@mashangjian/shared'
import { runningDeadline } from '../data'
import { duration, t } from '../i18n'

/** "接单时限 · 剩余 3 小时" or "已超期 2 天", from the deadline that runs now (or "已暂停" while a department has the case). */
export function Deadline({ c, now }: { c: CaseSummary; now: number }) {
  const d = runningDeadline(c)
  if (!d) return null
  // 交办 with the committee's pause on: the resolve deadline stands still until the department is done.
  if (d.kind === 'resolve' && c.resolvePausedAt)
    return (
      <span class="deadline" data-testid="deadline-paused">
        {t.resolveBy} · {t.resolvePaused}
      </span>
    )
  const left = new Date(d.at).getTime() - now
  const label = d.kind === 'accept' ? t.acceptBy : t.resolveBy
  return (
    <span class={left < 0 ? 'deadline late' : left < 4 * 3600_000 ? 'deadline soon' : 'deadline'}>
      {label} · {left < 0 ? t.overdueBy(duration(left)) : t.dueIn(duration(left))}
    </span>
  )
}
