/** @jsxRuntime automatic @jsxImportSource preact */
import { categoryLabel, formatDate, formatDay, formatTimeRange, type Locale, type Translate } from '@mashangjian/shared'
import type { ScanModel, ScanReception } from '../scan-service'
import type { RawSubmission, SubmissionIssue } from '../submission-rules'
import type { DuplicateHint } from '../public-cases-service'
import { Layout, type PageContext } from './layout'
import { Field, FieldError, issueMap } from './form-fields'
import { SCAN_SCRIPT } from './scan-script'

type FormModel = Extract<ScanModel, { kind: 'member' | 'station' }>
const FORM_ID = 'scan-form'
const MAX_PHOTOS = 3

/**
 * A category's name in the page's language; when the committee has none in it, the Chinese name marked "(中文)" in
 * the reader's language (given `t`), so it is not taken for a translation. Plain text: it also goes in <option>s.
 */
export function categoryName(names: Record<string, string> | null | undefined, locale: Locale, t?: Translate): string {
  const label = categoryLabel(names, locale)
  if (!label) return ''
  return label.fallback && t ? `${label.text} ${t('category.fallback')}` : label.text
}

/** The same as an element: the Chinese name marked as Chinese (lang, isolated) and the note in the page's language. */
export function CategoryText({ names, locale, t }: { names: Record<string, string> | null | undefined; locale: Locale; t: Translate }) {
  const label = categoryLabel(names, locale)
  if (!label) return null
  if (!label.fallback) return <>{label.text}</>
  return (
    <span data-testid="category-fallback">
      <bdi lang="zh-CN">{label.text}</bdi> <small>{t('category.fallback')}</small>
    </span>
  )
}

/** 今天接待：张三、李四 09:00–11:30 — else 下次接待日：12月10日（周四）09:00–11:30 · 东城街道委员工作站 — else nothing. */
function Reception({ reception, t, locale }: { reception: ScanReception; t: Translate; locale: Locale }) {
  const hours = (s: { startsAt: string; endsAt: string }) => formatTimeRange(s.startsAt, s.endsAt, locale)
  if (reception.today.length > 0) {
    const slots = reception.today.map((s) => t('scan.receptionSlot', { names: s.members.map((m) => m.name).join(t('scan.separator')), hours: hours(s) }))
    return (
      <p class="box" data-testid="reception">
        {t('scan.receptionToday', { slots: slots.join(t('scan.receptionSlotSeparator')) })}
      </p>
    )
  }
  const next = reception.next
  if (!next) return null
  return (
    <p class="box" data-testid="reception">
      {t('scan.receptionNext', { day: formatDay(next.day, locale, 'weekdayMonthDay'), hours: hours(next), station: next.stationName })}
    </p>
  )
}

function Holder({ model, t, locale }: { model: FormModel; t: Translate; locale: Locale }) {
  if (model.kind === 'station') {
    const s = model.station
    return (
      <>
        <h1>{t('scan.stationHeading', { station: s.name })}</h1>
        <p class="muted">{s.address}</p>
        {s.openHours && <p>{t('scan.hours', { hours: s.openHours })}</p>}
        <Reception reception={model.reception} t={t} locale={locale} />
      </>
    )
  }
  const m = model.member
  return (
    <>
      <div class="card">
        {m.hasPhoto ? (
          <img class="avatar" src={`/api/v1/public/members/${m.id}/photo`} alt="" width={72} height={72} />
        ) : (
          <span class="avatar" aria-hidden="true">
            {[...m.name][0]}
          </span>
        )}
        <div>
          <h1>{t('scan.memberHeading', { name: m.name })}</h1>
          <div class="muted">{t('scan.sectorLine', { sector: m.sectorName ?? '', level: t(`level.${m.level}`) })}</div>
          {m.title && <div class="muted">{m.title}</div>}
        </div>
      </div>
      {model.station && <p>{t('scan.stationLine', { station: model.station.name })}</p>}
      {!m.active && model.station && <p class="box">{t('scan.onLeave', { name: m.name, station: model.station.name })}</p>}
      {m.active && <Reception reception={model.reception} t={t} locale={locale} />}
    </>
  )
}

/**
 * The scan page's form. `reposted`: this page answers a post (a field error, the duplicate prompt, a language
 * switch), so the language switch re-posts the form rather than linking away from what was typed.
 * `keptPhotos`: references of photos already stored for this form (pending-photos.ts), sent back in hidden fields.
 */
export function ScanPage({
  ctx,
  model,
  values = {},
  issues = [],
  duplicate,
  keptPhotos = [],
  reposted = false,
}: {
  ctx: PageContext
  model: FormModel
  values?: RawSubmission
  issues?: SubmissionIssue[]
  duplicate?: DuplicateHint
  keptPhotos?: string[]
  reposted?: boolean
}) {
  const { t, locale } = ctx
  const byField = issueMap(issues)
  const photoIssue = (n: number) => byField.get(`photo${n}`)
  const title = model.kind === 'member' ? t('scan.memberHeading', { name: model.member.name }) : t('scan.stationHeading', { station: model.station.name })
  const actionFor = (l: string) => `/api/v1/public/cases?code=${encodeURIComponent(model.code)}&lang=${encodeURIComponent(l)}`
  const description = values.description ?? ''
  const geoIssue = byField.get('lat') ?? byField.get('lng') ?? byField.get('accuracy')
  const hasCoords = Boolean(values.lat && values.lng) && !geoIssue
  return (
    <Layout ctx={ctx} title={title} footer={model.committeeName} script={SCAN_SCRIPT} repost={reposted ? { formId: FORM_ID, action: actionFor } : undefined}>
      <Holder model={model} t={t} locale={locale} />
      <form id={FORM_ID} method="post" action={actionFor(locale)} enctype="multipart/form-data" accept-charset="utf-8" novalidate>
        {issues.length > 0 && (
          <div class="alert" role="alert">
            <p>{t('form.errorSummary', { count: issues.length })}</p>
            <FieldError id="form" issue={byField.get('form')} t={t} />
          </div>
        )}
        {duplicate && (
          <div class="alert" role="alert">
            <h2>{t('duplicate.title')}</h2>
            <p>
              {t('duplicate.summary', {
                category: categoryName(duplicate.categoryNames, locale, t) || t('duplicate.uncategorised'),
                date: formatDate(duplicate.createdAt, locale, 'date'),
                excerpt: duplicate.excerpt,
              })}
            </p>
            <button type="submit" name="joinCase" value={duplicate.publicNo}>
              {t('duplicate.join')}
            </button>
            <button type="submit" name="confirmNew" value="1" class="secondary">
              {t('duplicate.new')}
            </button>
            {/* The resident has seen the prompt for this case: the plain 提交 below now means "a different matter". */}
            <input type="hidden" name="seenDuplicate" value={duplicate.publicNo} />
          </div>
        )}
        <input type="hidden" name="code" value={model.code} />
        {model.categories.length > 0 && (
          <Field
            id="categoryId"
            label={t('form.category')}
            issue={byField.get('categoryId')}
            t={t}
            render={(aria) => (
              <select name="categoryId" {...aria}>
                <option value="">{t('form.categoryAny')}</option>
                {model.categories.map((c) => (
                  <option value={c.id} selected={values.categoryId === c.id}>
                    {categoryName(c.names, locale, t)}
                  </option>
                ))}
              </select>
            )}
          />
        )}
        {model.kind === 'station' && model.members.length > 0 && (
          <Field
            id="memberId"
            label={t('form.member')}
            issue={byField.get('memberId')}
            t={t}
            render={(aria) => (
              <select name="memberId" {...aria}>
                <option value="">{t('form.memberAny')}</option>
                {model.members.map((m) => (
                  <option value={m.id} selected={values.memberId === m.id}>
                    {m.sectorName ? t('form.memberOption', { name: m.name, sector: m.sectorName }) : m.name}
                  </option>
                ))}
              </select>
            )}
          />
        )}
        {/* No maxLength: a browser would cut a pasted text silently; the server says when it is too long and keeps it. */}
        <Field
          id="description"
          label={t('form.description')}
          hint={t('form.descriptionHint')}
          issue={byField.get('description')}
          t={t}
          render={(aria) => (
            <>
              <textarea name="description" required minLength={5} rows={6} {...aria}>
                {description}
              </textarea>
              <span
                id="description-count"
                class={[...description].length > 2000 ? 'count error' : 'count'}
                dir="ltr"
                hidden={!description}
              >{`${[...description].length}/2000`}</span>
            </>
          )}
        />
        <Field
          id="location"
          label={t('form.location')}
          issue={byField.get('location') ?? geoIssue}
          t={t}
          render={(aria) => <input name="location" value={values.location ?? ''} {...aria} />}
        />
        <button
          type="button"
          id="geo"
          class="secondary"
          hidden
          data-wait={t('geo.locating')}
          data-ok={t('geo.done', { metres: '%m' })}
          data-denied={t('geo.denied')}
          data-fail={t('geo.unavailable')}
        >
          {t('geo.button')}
        </button>
        <p id="geo-status" class="hint" role="status">
          {hasCoords ? t('geo.kept') : ''}
        </p>
        <input type="hidden" name="lat" value={hasCoords ? values.lat : ''} />
        <input type="hidden" name="lng" value={hasCoords ? values.lng : ''} />
        <input type="hidden" name="accuracy" value={hasCoords ? (values.accuracy ?? '') : ''} />
        <Field
          id="phone"
          label={t('form.phone')}
          issue={byField.get('phone')}
          t={t}
          render={(aria) => <input name="phone" type="tel" inputMode="tel" autoComplete="tel" maxLength={20} value={values.phone ?? ''} dir="ltr" {...aria} />}
        />
        <label class="check" for="consent">
          <input
            type="checkbox"
            id="consent"
            name="consent"
            value="on"
            checked={Boolean(values.consent)}
            aria-invalid={byField.has('consent') ? 'true' : undefined}
            aria-describedby={byField.has('consent') ? 'consent-error' : undefined}
          />
          <span>{t('form.consent')}</span>
        </label>
        <FieldError id="consent" issue={byField.get('consent')} t={t} />
        <h2>{t('form.photos')}</h2>
        {keptPhotos.length > 0 && <p class="ok">{t('form.photosKept', { count: keptPhotos.length })}</p>}
        {keptPhotos.slice(0, MAX_PHOTOS).map((ref, i) => (
          <input type="hidden" name={`keptPhoto${i + 1}`} value={ref} />
        ))}
        <FieldError id="photos" issue={byField.get('photos')} t={t} />
        {Array.from({ length: Math.max(0, MAX_PHOTOS - keptPhotos.length) }, (_, i) => i + 1 + keptPhotos.length).map((n) => (
          <Field
            id={`photo${n}`}
            label={t('form.photoN', { n })}
            issue={photoIssue(n)}
            t={t}
            render={(aria) => (
              // One file per input, no `multiple`: WeChat's Android browser mishandles multi-select.
              <input type="file" name={`photo${n}`} accept="image/*" {...aria} />
            )}
          />
        ))}
        <div class="hp" aria-hidden="true">
          <label for="website">{t('form.honeypot')}</label>
          <input id="website" name="website" tabIndex={-1} autoComplete="off" />
        </div>
        <button type="submit">{t('form.submit')}</button>
      </form>
      <div class="box">
        <h2>{t('scan.next.title')}</h2>
        <p>{t('scan.next.body', { acceptHours: model.sla.acceptHours, resolveDays: model.sla.resolveDays })}</p>
      </div>
      {/* issue 16: recover a case */}
      <p>
        <a href={`/t?lang=${ctx.locale}`} data-testid="recover-link">
          {t('recover.scanLink')}
        </a>
      </p>
      <div class="box">
        <h2>{t('privacy.title')}</h2>
        <p data-testid="privacy-body">{t('privacy.body', { years: model.retentionYears })}</p>
      </div>
    </Layout>
  )
}
