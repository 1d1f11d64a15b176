import type { TrackingLinksRevoked } from '@mashangjian/shared'
import { useState } from 'preact/hooks'
import { currentLocale } from '../../i18n'
import { adminApi } from '../admin-api'
import { ProblemText } from './problem-text'

const ZH = {
  title: '群众的查询链接',
  hint: '查询链接被转发给了别人？可以作废。群众仍可凭诉求编号和提交时的手机号在“找回我的诉求”重新获取（短信只发到这个手机号）。',
  recovery: '作废找回的链接',
  all: '连同原链接一起作废',
  confirmRecovery: '作废这件诉求通过“找回我的诉求”发出的全部链接？',
  confirmAll: '作废这件诉求的全部查询链接（包括提交时的链接）？群众需要重新找回。',
  done: (n: number, original: boolean) => `已作废 ${n} 个找回的链接${original ? '和原链接' : ''}。`,
}
const EN: typeof ZH = {
  title: 'Resident’s tracking links',
  hint: 'A tracking link was passed on to someone else? End it. The resident can get a new one with the case number and their phone (“Find my request”; the SMS goes only to that phone).',
  recovery: 'End recovered links',
  all: 'End the original link too',
  confirmRecovery: 'End every link sent for this case by “Find my request”?',
  confirmAll: 'End every tracking link of this case, the original one included? The resident will need to recover a new one.',
  done: (n: number, original: boolean) => `Ended ${n} recovered link(s)${original ? ' and the original link' : ''}.`,
}

/** The desk ends a case's tracking links (POST /api/v1/cases/:id/tracking-links/revoke, audit-logged). */
export function TrackingLinksControl({ caseId }: { caseId: string }) {
  const x = currentLocale() === 'en' ? EN : ZH
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const revoke = async (original: boolean) => {
    if (!window.confirm(original ? x.confirmAll : x.confirmRecovery)) return
    setBusy(true)
    setError(null)
    setDone(null)
    try {
      const r = await adminApi.post<TrackingLinksRevoked>(`/api/v1/cases/${caseId}/tracking-links/revoke`, { original })
      setDone(x.done(r.recoveryLinks, r.original))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <section aria-labelledby="desk-links" data-testid="tracking-links">
      <h3 id="desk-links">{x.title}</h3>
      <p class="hint">{x.hint}</p>
      <p>
        <button type="button" class="secondary" disabled={busy} onClick={() => void revoke(false)}>
          {x.recovery}
        </button>{' '}
        <button type="button" class="secondary" disabled={busy} onClick={() => void revoke(true)}>
          {x.all}
        </button>
      </p>
      {done && <p role="status">{done}</p>}
      <ProblemText error={error} />
    </section>
  )
}
