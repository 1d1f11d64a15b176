/** @jsxRuntime automatic @jsxImportSource preact */
import type { MessageKey } from '@mashangjian/shared'
import type { TrackingModel } from '../tracking-service'
import { Layout, type PageContext } from './layout'
import { categoryName } from './scan-page'

const formatTime = (d: Date, locale: string) =>
  d.toLocaleString(locale === 'kk-Arab-CN' ? 'kk' : locale, { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' })

export type TrackingNotice = 'created' | 'joined' | 'rated' | 'rate-missing'

export function TrackingPage({ ctx, model, secret, notice }: { ctx: PageContext; model: TrackingModel; secret: string; notice?: TrackingNotice }) {
  const { t, locale } = ctx
  return (
    <Layout ctx={ctx} title={t('track.title')} footer={model.committeeName}>
      {notice === 'created' && <div class="ok" role="status"><strong>{t('track.created')}</strong><p>{t('track.saveLink')}</p></div>}
      {notice === 'joined' && <div class="ok" role="status"><p>{t('track.joined')}</p><p>{t('track.saveLink')}</p></div>}
      {notice === 'rated' && <div class="ok" role="status"><p>{t('rate.thanks')}</p></div>}
      {model.mergedFrom && <div class="ok" role="status" data-testid="merged-from"><p>{t('track.mergedFrom', { publicNo: model.mergedFrom })}</p></div>}
      <h1>{t('track.title')}</h1>
      <p>{t('track.number')}<br /><span class="no">{model.publicNo}</span></p>
      <p>{t('track.status')}：<strong>{t(`status.${model.status}` as MessageKey)}</strong></p>
      {model.mergedInto && (
        // 并单: the same link now follows the case this one went into (no new link can be sent to the resident).
        <div class="box">
          <p>{t('track.mergedInto', { publicNo: model.mergedInto.publicNo })}</p>
          <p><a data-testid="merged-into" href={`/t/${secret}/merged?lang=${locale}`}>{t('track.mergedLink', { publicNo: model.mergedInto.publicNo })}</a></p>
        </div>
      )}
      {model.categoryNames && <p class="muted">{categoryName(model.categoryNames, locale)}</p>}
      <p>{model.memberName ? t('track.handledBy', { name: model.memberName }) : model.stationName ? t('track.queue', { station: model.stationName }) : ''}</p>
      {model.expectedBy && <p>{t('track.expected', { date: formatTime(model.expectedBy, locale) })}</p>}
      {model.canRate && (
        <form method="post" action={`/t/${secret}/rating?lang=${locale}`} class="box">
          <fieldset style="border:0;padding:0;margin:0">
            <legend><h2>{t('rate.title')}</h2></legend>
            {notice === 'rate-missing' && <p class="error" role="alert">{t('rate.choose')}</p>}
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
      <h2>{t('track.timeline')}</h2>
      <ol class="timeline">
        {model.events.map((e) => (
          <li>
            <strong>{t(`event.${e.type}` as MessageKey)}</strong> <span class="muted">{formatTime(e.occurredAt, locale)}</span>
            {e.body && <p>{e.body}</p>}
          </li>
        ))}
      </ol>
    </Layout>
  )
}
