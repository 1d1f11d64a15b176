/** @jsxRuntime automatic @jsxImportSource preact */
import { formatDate, type Locale, type MessageKey, type Translate } from '@mashangjian/shared'
import type { TrackingModel } from '../tracking-service'
import type { TrackingPhoto } from '../tracking-photos'
import { FOLLOW_UP_MAX, type FollowUpIssue } from '../tracking-followup-service'
import { Layout, type PageContext } from './layout'
import { CategoryText } from './scan-page'
import { PhoneSection } from './phone-withdrawal-page'
import type { HolderPhone } from '../../privacy/phone-withdrawal-service'
// issue 19: erasing an ended case's personal data (its own file, so this page only places it).
import { EraseOffer, ErasedNotice } from './erasure-pages'

/** Dates as the page's locale writes them, in Beijing time (shared/src/time/dates.ts). */
const formatTime = (d: Date, locale: Locale) => formatDate(d, locale, 'dateTime')

export type TrackingNotice = 'created' | 'joined' | 'rated' | 'rate-missing' | 'added' | 'phone-removed' | 'erased'

/** The copy button's script: served from this origin (the CSP allows no inline script). */
export const COPY_SCRIPT_PATH = '/t-assets/copy-link.js'

/**
 * Rules only this page needs (the shared stylesheet is the scan page's, kept within its size budget): a long
 * link wraps inside 360 px, photos fit the column.
 */
const TRACKING_CSS =
  '.link{direction:ltr;unicode-bidi:embed;word-break:break-all;font-family:ui-monospace,monospace;font-size:1rem;background:#fff;border:1px solid #767676;border-radius:.25rem;padding:.5rem;margin:.5rem 0}' +
  '.photos{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.5rem}' +
  '.photos img{display:block;width:100%;height:auto;border-radius:.25rem;background:#f3e3e3}'

/** "Status：" in Chinese, "Status: " elsewhere: the separator comes from the catalogue with the words. */
const labelled = (t: Translate, key: MessageKey) => `${t(key)}${t('track.colon')}`

/** The alt text a photo is read by: what its uploader wrote, else whose photo it is and which one. */
export function photoAlt(t: Translate, photos: TrackingPhoto[], p: TrackingPhoto): string {
  if (p.altText) return p.altText
  const n = photos.filter((x) => x.by === p.by).indexOf(p) + 1
  return t(p.by === 'resident' ? 'photo.alt.resident' : 'photo.alt.member', { n })
}

/** Where the page asks for a photo: the 320 px copy, 640 px for dense screens. */
export const photoUrl = (secret: string, id: string, w: number) => `/t/${secret}/photos/${id}?w=${w}`

function KeepLink({ t, url, publicNo }: { t: Translate; url: string; publicNo: string }) {
  return (
    <>
      <p>{t('track.saveLink')}</p>
      <p>
        <strong>{labelled(t, 'track.link')}</strong>
      </p>
      <p class="link" id="tracking-link" data-testid="tracking-link">
        {url}
      </p>
      {/* Inert without JavaScript: the script shows it and copies; without it the link above can be selected. */}
      <button type="button" class="secondary" id="copy-link" hidden data-copied={t('track.copied')}>
        {t('track.copy')}
      </button>
      <p class="hint" data-testid="recover-hint">
        {t('track.recoverHint', { publicNo })}
      </p>
      <script src={COPY_SCRIPT_PATH} defer />
    </>
  )
}

function FollowUpForm({ ctx, secret, issues = [], text = '' }: { ctx: PageContext; secret: string; issues?: FollowUpIssue[]; text?: string }) {
  const { t, locale } = ctx
  const byField = new Map(issues.map((i) => [i.field, i]))
  const textIssue = byField.get('text')
  const error = (id: string, issue?: FollowUpIssue) =>
    issue && (
      <p class="error" id={`${id}-error`}>
        {t(issue.key, issue.values)}
      </p>
    )
  return (
    <form method="post" action={`/t/${secret}/info?lang=${locale}`} enctype="multipart/form-data" class="box" data-testid="follow-up" novalidate>
      <h2 id="followup-title">{t('followup.title')}</h2>
      {issues.length > 0 && (
        <p class="alert" role="alert">
          {t('form.errorSummary', { count: issues.length })}
        </p>
      )}
      <label for="text">
        {t('followup.text')}
        <span class="hint" id="text-hint">
          <br />
          {t('followup.hint')}
        </span>
      </label>
      <textarea
        id="text"
        name="text"
        rows={4}
        maxLength={FOLLOW_UP_MAX}
        aria-describedby={['text-hint', textIssue && 'text-error'].filter(Boolean).join(' ')}
        aria-invalid={textIssue ? 'true' : undefined}
        value={text}
      />
      {error('text', textIssue)}
      {error('photos', byField.get('photos'))}
      {issues.length > 0 && <p class="hint">{t('form.photosAgain')}</p>}
      {[1, 2, 3].map((n) => {
        const issue = byField.get(`photo${n}`)
        return (
          <div>
            <label for={`fphoto${n}`}>{t('form.photoN', { n })}</label>
            <input
              type="file"
              id={`fphoto${n}`}
              name={`photo${n}`}
              accept="image/*"
              aria-describedby={issue ? `fphoto${n}-error` : undefined}
              aria-invalid={issue ? 'true' : undefined}
            />
            {error(`fphoto${n}`, issue)}
          </div>
        )
      })}
      <button type="submit">{t('followup.submit')}</button>
    </form>
  )
}

/**
 * The resident's page behind their link: where the case stands, what was done (the member's answer first), the
 * photos, then what the resident can do — rate a resolved case, or add information to an open one.
 */
export function TrackingPage({
  ctx,
  model,
  secret,
  notice,
  trackingUrl,
  followUp,
  phone,
}: {
  ctx: PageContext
  model: TrackingModel
  secret: string
  notice?: TrackingNotice
  /** Absolute link shown on the confirmation (PUBLIC_BASE_URL), for residents whose browser hides the address. */
  trackingUrl?: string
  /** The follow-up form again, with the text kept and each problem by its field. */
  followUp?: { issues: FollowUpIssue[]; text: string }
  /** issue 19: the holder's own phone (on file, removed, none); left out on pages seen through another case's link. */
  phone?: HolderPhone
}) {
  const { t, locale } = ctx
  const ratingWords = model.rating ? t(`rate.${model.rating}`) : null
  return (
    <Layout ctx={ctx} title={t('track.title')} footer={model.committeeName}>
      <style dangerouslySetInnerHTML={{ __html: TRACKING_CSS }} />
      {notice === 'created' && (
        <div class="ok" role="status">
          <strong>{t('track.created')}</strong>
          {trackingUrl && <KeepLink t={t} url={trackingUrl} publicNo={model.publicNo} />}
        </div>
      )}
      {notice === 'joined' && (
        <div class="ok" role="status">
          <p>{t('track.joined')}</p>
          {trackingUrl && <KeepLink t={t} url={trackingUrl} publicNo={model.publicNo} />}
        </div>
      )}
      {notice === 'rated' && (
        <div class="ok" role="status">
          <p>{t('rate.thanks')}</p>
          {ratingWords && <p>{t('rate.given', { rating: ratingWords })}</p>}
        </div>
      )}
      {notice === 'added' && (
        <div class="ok" role="status" data-testid="added">
          <p>{t('followup.added')}</p>
        </div>
      )}
      {notice === 'phone-removed' && (
        <div class="ok" role="status" data-testid="phone-removed">
          <p>{t('phone.removed')}</p>
        </div>
      )}
      <ErasedNotice ctx={ctx} model={model} justNow={notice === 'erased'} />
      {model.mergedFrom && (
        <div class="ok" role="status" data-testid="merged-from">
          <p>{t('track.mergedFrom', { publicNo: model.mergedFrom })}</p>
        </div>
      )}
      <h1>{t('track.title')}</h1>
      <p>
        {t('track.number')}
        <br />
        <span class="no">{model.publicNo}</span>
      </p>
      <p data-testid="status">
        {labelled(t, 'track.status')}
        <strong>{t(`status.${model.status}` as MessageKey)}</strong>
      </p>
      {model.mergedInto && (
        // 并单: the same link now follows the case this one went into (no new link can be sent to the resident).
        <div class="box">
          <p>{t('track.mergedInto', { publicNo: model.mergedInto.publicNo })}</p>
          <p>
            <a data-testid="merged-into" href={`/t/${secret}/merged?lang=${locale}`}>
              {t('track.mergedLink', { publicNo: model.mergedInto.publicNo })}
            </a>
          </p>
        </div>
      )}
      {model.categoryNames && (
        <p class="muted">
          <CategoryText names={model.categoryNames} locale={locale} t={t} />
        </p>
      )}
      <p>{model.memberName ? t('track.handledBy', { name: model.memberName }) : model.stationName ? t('track.queue', { station: model.stationName }) : ''}</p>
      {model.expectedBy && <p>{t('track.expected', { date: formatTime(model.expectedBy, locale) })}</p>}
      {/* The answer comes first: a resident rates what they have just read. */}
      <h2>{t('track.timeline')}</h2>
      <ol class="timeline" data-testid="timeline">
        {model.events.map((e) => (
          <li>
            <strong>{t(`event.${e.type}` as MessageKey)}</strong> <span class="muted">{formatTime(e.occurredAt, locale)}</span>
            {e.body && <p>{e.body}</p>}
          </li>
        ))}
      </ol>
      {model.photos.length > 0 && (
        <>
          <h2>{t('track.photos')}</h2>
          <ul class="photos" data-testid="photos">
            {model.photos.map((p) => (
              <li>
                <img
                  src={photoUrl(secret, p.id, 320)}
                  srcset={`${photoUrl(secret, p.id, 320)} 320w, ${photoUrl(secret, p.id, 640)} 640w`}
                  sizes="(max-width: 40rem) 50vw, 18rem"
                  alt={photoAlt(t, model.photos, p)}
                  loading="lazy"
                  width={320}
                  height={p.width && p.height ? Math.round((320 * p.height) / p.width) : 240}
                />
              </li>
            ))}
          </ul>
        </>
      )}
      {ratingWords && (
        <p class="box" data-testid="rating-given">
          <strong>{t('rate.given', { rating: ratingWords })}</strong>
        </p>
      )}
      {model.canRate && (
        <form method="post" action={`/t/${secret}/rating?lang=${locale}`} class="box" data-testid="rating-form">
          <fieldset style="border:0;padding:0;margin:0">
            <legend>
              <h2>{t('rate.title')}</h2>
            </legend>
            {notice === 'rate-missing' && (
              <p class="error" role="alert">
                {t('rate.choose')}
              </p>
            )}
            {(['satisfied', 'basically_satisfied', 'unsatisfied'] as const).map((r) => (
              <label class="check" for={`rating-${r}`}>
                <input type="radio" id={`rating-${r}`} name="rating" value={r} required />
                <span>{t(`rate.${r}`)}</span>
              </label>
            ))}
            <p class="hint">{t('rate.reopenNote')}</p>
          </fieldset>
          <label for="comment">{t('rate.comment')}</label>
          <textarea id="comment" name="comment" maxLength={500} rows={3} />
          <button type="submit">{t('rate.submit')}</button>
        </form>
      )}
      {model.canAddInfo && <FollowUpForm ctx={ctx} secret={secret} issues={followUp?.issues} text={followUp?.text} />}
      {phone && <PhoneSection ctx={ctx} secret={secret} phone={phone} />}
      {model.canErase && <EraseOffer ctx={ctx} secret={secret} />}
    </Layout>
  )
}

/** A tracking link that opens nothing: its own words (not the scan page's), and the way to recover the case. */
export function TrackingNotFoundPage({ ctx }: { ctx: PageContext }) {
  const { t, locale } = ctx
  return (
    <Layout ctx={ctx} title={t('track.notFound.title')}>
      <h1>{t('track.notFound.title')}</h1>
      <p>{t('track.notFound.body')}</p>
      <p>
        <a href={`/t?lang=${locale}`} data-testid="recover-link">
          {t('track.notFound.recover')}
        </a>
      </p>
    </Layout>
  )
}

/** The follow-up could not be added (the case ended, or the link is a follower's): why, and the way back. */
export function FollowUpRefusedPage({ ctx, secret, reason }: { ctx: PageContext; secret: string; reason: 'closed' | 'not_owner' }) {
  const { t, locale } = ctx
  return (
    <Layout ctx={ctx} title={t('followup.title')}>
      <h1>{t('followup.title')}</h1>
      <p class="alert" role="alert">
        {t(reason === 'closed' ? 'followup.closed' : 'followup.ownerOnly')}
      </p>
      <p>
        <a href={`/t/${secret}?lang=${locale}`}>{t('followup.back')}</a>
      </p>
    </Layout>
  )
}

/** Shows the copy button and copies the link shown above it; the page works the same without it. */
export const COPY_SCRIPT = `(function(){var b=document.getElementById('copy-link'),l=document.getElementById('tracking-link');if(!b||!l)return;b.hidden=false;
b.addEventListener('click',function(){var u=l.textContent||'';function done(){b.textContent=b.getAttribute('data-copied')}
function legacy(){var r=document.createRange();r.selectNodeContents(l);var s=getSelection();s.removeAllRanges();s.addRange(r);try{if(document.execCommand('copy'))done()}catch(e){}}
if(navigator.clipboard&&navigator.clipboard.writeText)navigator.clipboard.writeText(u).then(done,legacy);else legacy()})})();`
