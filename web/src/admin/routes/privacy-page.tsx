import { useState } from 'preact/hooks'
import { formatDate, type PhoneErasureResult, type PhoneLookupResult } from '@mashangjian/shared'
import { currentLocale } from '../../i18n'
import { adminApi } from '../admin-api'
import { ADMIN_BASE } from '../../paths'
import { dt } from '../desk-text'
import { pt } from '../privacy-text'
import { ConfirmButton } from '../components/confirm-button'
import { Done, Field, useAction, valueOf } from '../components/field'
import { ProblemText, fieldErrors } from '../components/problem-text'

const when = (iso: string) => formatDate(iso, currentLocale(), 'dateTime')

/** Hands the export to the admin as a file to give the person (the browser downloads it; nothing is kept here). */
function download(file: unknown, name: string) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/**
 * 个人信息查询与删除 (issue 19, PIPL arts. 44–47), committee admins only: look a phone number up within the scope,
 * export what is stored for the person, erase it. The number and the reason stay in the form; every call carries
 * the reason, and the server audit-logs it with the number's keyed hash.
 */
export function PrivacyPage() {
  const [phone, setPhone] = useState('')
  const [reason, setReason] = useState('')
  const [found, setFound] = useState<PhoneLookupResult | null>(null)
  const [erased, setErased] = useState<PhoneErasureResult | null>(null)
  const look = useAction()
  const act = useAction()
  const errors = fieldErrors(look.error ?? act.error)
  const body = () => ({ phone, reason })

  async function submit(e: Event) {
    e.preventDefault()
    setErased(null)
    act.clear()
    const r = await look.run(() => adminApi.privacy.lookup(body()))
    setFound(r ?? null)
  }
  async function exportFile() {
    const file = await act.run(() => adminApi.privacy.export(body()), pt.exported)
    if (file) download(file, `personal-data-${file.generatedAt.slice(0, 10)}.json`)
  }
  async function erase() {
    const r = await act.run(() => adminApi.privacy.erase({ ...body(), confirm: true }))
    if (!r) return
    setErased(r)
    setFound(await look.run(() => adminApi.privacy.lookup(body())).then((x) => x ?? null))
  }
  const total = found ? found.cases.length + found.followers.length + found.contacts.length : 0
  const mentions = found ? found.textMentions.cases + found.textMentions.contacts : 0

  return (
    <section class="admin-page privacy-page" data-testid="privacy-page" aria-labelledby="privacy-title">
      <h2 id="privacy-title">{pt.title}</h2>
      <p class="hint">{pt.intro}</p>
      <form onSubmit={submit} ref={look.form} data-testid="privacy-form" novalidate>
        <Field id="privacy-phone" label={pt.phone} hint={pt.phoneHint} error={errors.phone} required>
          {(p) => <input {...p} type="tel" autocomplete="off" value={phone} onInput={(e) => setPhone(valueOf(e))} dir="ltr" />}
        </Field>
        <Field id="privacy-reason" label={pt.reason} hint={pt.reasonHint} error={errors.reason} required>
          {(p) => <input {...p} type="text" value={reason} maxLength={500} onInput={(e) => setReason(valueOf(e))} />}
        </Field>
        <button type="submit" class="button primary" disabled={look.busy} data-testid="privacy-lookup">
          {look.busy ? pt.looking : pt.lookup}
        </button>
      </form>
      <ProblemText error={look.error ?? act.error} />
      <Done message={act.done} />
      {erased && (
        <p class="toast" role="status" data-testid="privacy-erased">
          {pt.erased(erased)}
        </p>
      )}
      {found && (
        <div data-testid="privacy-result">
          <p role="status" data-testid="privacy-summary">
            {total === 0 && mentions === 0 ? pt.none : pt.found(found.cases.length, found.followers.length, found.contacts.length)}
          </p>
          {mentions > 0 && <p class="hint">{pt.mentions(found.textMentions.cases, found.textMentions.contacts)}</p>}
          {found.cases.length > 0 && (
            <Table title={pt.casesTitle} testId="privacy-cases" head={[pt.publicNo, pt.committee, pt.status, pt.created]}>
              {found.cases.map((c) => (
                <tr key={c.id}>
                  <td>
                    <a href={`${ADMIN_BASE}cases/${c.id}`}>{c.publicNo}</a>
                  </td>
                  <td>{c.committeeName}</td>
                  <td>{dt.statuses[c.status]}</td>
                  <td>{when(c.createdAt)}</td>
                </tr>
              ))}
            </Table>
          )}
          {found.followers.length > 0 && (
            <Table title={pt.followersTitle} testId="privacy-followers" head={[pt.publicNo, pt.committee, pt.status, pt.joined]}>
              {found.followers.map((f) => (
                <tr key={f.id}>
                  <td>
                    <a href={`${ADMIN_BASE}cases/${f.caseId}`}>{f.publicNo}</a>
                  </td>
                  <td>{f.committeeName}</td>
                  <td>{dt.statuses[f.status]}</td>
                  <td>{when(f.createdAt)}</td>
                </tr>
              ))}
            </Table>
          )}
          {found.contacts.length > 0 && (
            <Table title={pt.contactsTitle} testId="privacy-contacts" head={[pt.contactName, pt.member, pt.committee, pt.metOn]}>
              {found.contacts.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>{k.memberName}</td>
                  <td>{k.committeeName}</td>
                  <td>{k.metOn}</td>
                </tr>
              ))}
            </Table>
          )}
          {(total > 0 || mentions > 0) && (
            <p class="actions">
              {total > 0 && (
                <button type="button" class="button" disabled={act.busy} onClick={() => void exportFile()} data-testid="privacy-export">
                  {pt.export}
                </button>
              )}{' '}
              <ConfirmButton label={pt.erase} question={pt.eraseQuestion} disabled={act.busy} onConfirm={erase} testId="privacy-erase" />
            </p>
          )}
        </div>
      )}
    </section>
  )
}

function Table({ title, head, testId, children }: { title: string; head: string[]; testId: string; children: preact.ComponentChildren }) {
  return (
    <>
      <h3>{title}</h3>
      <div class="table-wrap">
        <table class="grid" data-testid={testId}>
          <thead>
            <tr>
              {head.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
    </>
  )
}
