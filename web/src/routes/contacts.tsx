import { useState } from 'preact/hooks'
import { CONTACT_KINDS, beijingDay, formatDay, type Contact, type ContactKind } from '@mashangjian/shared'
import { ApiError, OfflineError, data } from '../data'
import type { ContactInput, ContactItem } from '../data/contacts'
import { currentLocale, errorText, t } from '../i18n'
import { useData, useStatus } from '../use-data'

const day = (d: string) => formatDay(d, currentLocale(), 'date')
/** A case number inside a sentence, kept left to right in Uyghur and Kazakh (LRI … PDI): "DC-2026-0001" must not reorder. */
const ltr = (s: string) => `\u2066${s}\u2069`
const problemText = (e: unknown) => (e instanceof OfflineError ? t.contactNeedsNetwork : e instanceof ApiError ? errorText(e.code, e.message) : t.unknownError)

/** 联系界别群众 (issue 15): the member's contacts, a form that works offline, and 转为诉求 / 转为社情民意 when online. */
export function Contacts() {
  const status = useStatus()
  const { value: list } = useData(() => data.contacts.list(), [])
  const { value: target } = useData(() => data.contacts.target(), [])
  const [adding, setAdding] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)

  return (
    <section class="contacts" aria-labelledby="contacts-title">
      <h2 id="contacts-title">{t.contactsTitle}</h2>
      {target && (
        <p class="hint" data-testid="contacts-target">
          {t.contactsYear(target.count, target.target)}
        </p>
      )}
      {list && !list.fresh && <p class="hint">{t.contactsOfflineList}</p>}
      {notice && (
        <p role="status" class="hint" data-testid="contacts-notice">
          {notice}
        </p>
      )}
      {adding ? (
        <ContactForm
          onDone={(saved) => {
            setAdding(false)
            if (saved) setNotice(status.online ? null : t.contactSaved)
          }}
        />
      ) : (
        <button type="button" class="button primary" data-testid="contact-add" onClick={() => setAdding(true)}>
          {t.contactsAdd}
        </button>
      )}
      {list && list.items.length === 0 && <p class="hint">{t.contactsEmpty}</p>}
      <ul class="contact-list" data-testid="contact-list">
        {list?.items.map((item) => (
          <ContactRow key={item.pending ? `p${item.seq}` : item.contact.id} item={item} online={status.online} onNotice={setNotice} />
        ))}
      </ul>
    </section>
  )
}

function ContactRow({ item, online, onNotice }: { item: ContactItem; online: boolean; onNotice: (s: string) => void }) {
  if (item.pending) {
    const refused = item.state !== 'pending'
    return (
      <li class="contact-row" data-testid="contact-row" data-pending="true">
        <span class="row-top">
          <strong>
            <bdi>{item.input.name}</bdi>
          </strong>
          <span class={`badge ${refused ? 'conflict' : 'pending'}`} data-testid="contact-pending">
            {refused ? t.contactRefused : t.contactPending}
          </span>
        </span>
        <span class="hint">
          <bdi dir="ltr">{day(item.input.metOn)}</bdi> · {t.contactKinds[item.input.kind]}
          {item.input.place && (
            <>
              {' · '}
              <bdi>{item.input.place}</bdi>
            </>
          )}
        </span>
        {item.input.raised && <span class="desc">{item.input.raised}</span>}
        {refused && (
          <>
            <span class="field-msg">{errorText(item.problem)}</span>
            <button type="button" class="button danger" onClick={() => void data.contacts.drop(item.seq)}>
              {t.contactDrop}
            </button>
          </>
        )}
      </li>
    )
  }
  return <SavedContact contact={item.contact} online={online} onNotice={onNotice} />
}

function SavedContact({ contact: c, online, onNotice }: { contact: Contact; online: boolean; onNotice: (s: string) => void }) {
  const [confirming, setConfirming] = useState(false)
  const [consent, setConsent] = useState(false)
  const [busy, setBusy] = useState(false)
  const [phone, setPhone] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  async function run(fn: () => Promise<void>) {
    setBusy(true)
    setError(null)
    try {
      await fn()
    } catch (e) {
      setError(problemText(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <li class="contact-row" data-testid="contact-row" data-contact-id={c.id}>
      <span class="row-top">
        <strong>
          <bdi>{c.name}</bdi>
        </strong>
        {c.sectorName && <span class="hint">{c.sectorName}</span>}
      </span>
      <span class="hint">
        <bdi dir="ltr">{day(c.metOn)}</bdi> · {t.contactKinds[c.kind]}
        {c.place && (
          <>
            {' · '}
            <bdi>{c.place}</bdi>
          </>
        )}
      </span>
      {c.phoneMasked && (
        <span class="hint">
          <bdi dir="ltr">{phone ?? c.phoneMasked}</bdi>{' '}
          {!phone && online && (
            <button type="button" class="link" onClick={() => void run(async () => setPhone(await data.contacts.revealPhone(c.id)))}>
              {t.contactShowPhone}
            </button>
          )}
        </span>
      )}
      {c.raised && <span class="desc">{c.raised}</span>}
      {c.casePublicNo && <span class="badge">{t.contactIsCase(ltr(c.casePublicNo))}</span>}
      {c.reportId && <span class="badge">{t.contactIsReport}</span>}
      {confirming ? (
        <div class="contact-confirm">
          {c.phoneMasked && (
            <label class="choice">
              <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} data-testid="contact-consent" /> {t.contactConsent}
            </label>
          )}
          <div class="buttons">
            <button
              type="button"
              class="button primary"
              disabled={busy}
              data-testid="contact-confirm-case"
              onClick={() =>
                void run(async () => {
                  const r = await data.contacts.toCase(c.id, consent)
                  setConfirming(false)
                  onNotice(t.contactCaseMade(ltr(r.casePublicNo)))
                })
              }
            >
              {t.contactConfirmCase}
            </button>
            <button type="button" class="button" onClick={() => setConfirming(false)}>
              {t.contactCancel}
            </button>
          </div>
        </div>
      ) : (
        (!c.caseId || !c.reportId) && (
          <div class="buttons">
            {!c.caseId && (
              <button type="button" class="button" disabled={!online || busy} data-testid="contact-to-case" onClick={() => setConfirming(true)}>
                {t.contactToCase}
              </button>
            )}
            {!c.reportId && (
              <button
                type="button"
                class="button"
                disabled={!online || busy}
                data-testid="contact-to-report"
                onClick={() =>
                  void run(async () => {
                    await data.contacts.toReport(c.id)
                    onNotice(t.contactReportMade)
                  })
                }
              >
                {t.contactToReport}
              </button>
            )}
            {!online && <span class="hint">{t.contactNeedsNetwork}</span>}
          </div>
        )
      )}
      {error && (
        <p class="field-msg" role="alert">
          {error}
        </p>
      )}
    </li>
  )
}

function ContactForm({ onDone }: { onDone: (saved: boolean) => void }) {
  const [name, setName] = useState('')
  const [phone, setPhone] = useState('')
  const [metOn, setMetOn] = useState(beijingDay(Date.now()))
  const [place, setPlace] = useState('')
  const [kind, setKind] = useState<ContactKind>('visit')
  const [raised, setRaised] = useState('')
  const [error, setError] = useState<string | null>(null)

  async function submit(e: Event) {
    e.preventDefault()
    if (!name.trim()) return setError(t.contactNameRequired)
    const input: ContactInput = {
      name: name.trim(),
      metOn,
      kind,
      ...(phone.trim() && { phone: phone.trim() }),
      ...(place.trim() && { place: place.trim() }),
      ...(raised.trim() && { raised: raised.trim() }),
    }
    try {
      await data.contacts.add(input)
      onDone(true)
    } catch (err) {
      setError(problemText(err))
    }
  }

  return (
    <form class="contact-form" onSubmit={(e) => void submit(e)} data-testid="contact-form" noValidate>
      <label for="contact-name">{t.contactName}</label>
      <input
        id="contact-name"
        value={name}
        maxLength={60}
        placeholder={t.contactNameHint}
        aria-invalid={error === t.contactNameRequired}
        onInput={(e) => setName(e.currentTarget.value)}
      />
      <label for="contact-phone">{t.contactPhone}</label>
      <input
        id="contact-phone"
        type="tel"
        inputMode="tel"
        value={phone}
        maxLength={32}
        aria-describedby="contact-phone-hint"
        onInput={(e) => setPhone(e.currentTarget.value)}
      />
      <p class="hint" id="contact-phone-hint">
        {t.contactPhoneHint}
      </p>
      <label for="contact-met">{t.contactMetOn}</label>
      <input id="contact-met" type="date" value={metOn} max={beijingDay(Date.now())} onInput={(e) => setMetOn(e.currentTarget.value)} />
      <label for="contact-kind">{t.contactKind}</label>
      <select id="contact-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as ContactKind)}>
        {CONTACT_KINDS.map((k) => (
          <option value={k} key={k}>
            {t.contactKinds[k]}
          </option>
        ))}
      </select>
      <label for="contact-place">{t.contactPlace}</label>
      <input id="contact-place" value={place} maxLength={200} onInput={(e) => setPlace(e.currentTarget.value)} />
      <label for="contact-raised">{t.contactRaised}</label>
      <textarea id="contact-raised" rows={3} maxLength={2000} value={raised} onInput={(e) => setRaised(e.currentTarget.value)} />
      {error && (
        <p class="field-msg" role="alert">
          {error}
        </p>
      )}
      <div class="buttons">
        <button type="submit" class="button primary" data-testid="contact-save">
          {t.contactSave}
        </button>
        <button type="button" class="button" onClick={() => onDone(false)}>
          {t.contactCancel}
        </button>
      </div>
    </form>
  )
}
