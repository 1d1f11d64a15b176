/** @jsxRuntime automatic @jsxImportSource preact */
import { formatDate } from '@mashangjian/shared'
import type { TrackingModel } from '../tracking-service'
import { Layout, type PageContext } from './layout'

/** Issue 19 on the tracking page: the way to erase an ended case's personal data (a plain link to the confirm step). */
export function EraseOffer({ ctx, secret }: { ctx: PageContext; secret: string }) {
  const { t, locale } = ctx
  return (
    <div class="box" data-testid="erase-offer">
      <h2>{t('erase.title')}</h2>
      <p>{t('erase.body')}</p>
      <form method="get" action={`/t/${secret}/erase`}>
        <input type="hidden" name="lang" value={locale} />
        <button type="submit" class="secondary">
          {t('erase.button')}
        </button>
      </form>
    </div>
  )
}

/** Said at the top of an erased case's page: when, and that only the record is left. */
export function ErasedNotice({ ctx, model, justNow }: { ctx: PageContext; model: TrackingModel; justNow: boolean }) {
  const { t, locale } = ctx
  if (!model.erasedAt) return null
  return (
    <div class="ok" role="status" data-testid="erased">
      {justNow && (
        <p>
          <strong>{t('erase.done')}</strong>
        </p>
      )}
      <p>{t('erase.erasedOn', { date: formatDate(model.erasedAt, locale, 'date') })}</p>
    </div>
  )
}

/** The confirm step: nothing goes until this form is posted (works without JavaScript). */
export function EraseConfirmPage({ ctx, secret, publicNo }: { ctx: PageContext; secret: string; publicNo: string }) {
  const { t, locale } = ctx
  return (
    <Layout ctx={ctx} title={t('erase.confirmTitle')}>
      <h1>{t('erase.confirmTitle')}</h1>
      <p class="alert">{t('erase.confirmBody', { publicNo })}</p>
      <form method="post" action={`/t/${secret}/erase?lang=${locale}`} data-testid="erase-confirm">
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit">{t('erase.confirm')}</button>
      </form>
      <p>
        <a href={`/t/${secret}?lang=${locale}`} data-testid="erase-cancel">
          {t('erase.cancel')}
        </a>
      </p>
    </Layout>
  )
}

/** Why the link cannot erase (the case is still open, or the link is a follower's), and the way back. */
export function EraseRefusedPage({ ctx, secret, reason }: { ctx: PageContext; secret: string; reason: 'not_ended' | 'not_owner' }) {
  const { t, locale } = ctx
  return (
    <Layout ctx={ctx} title={t('erase.title')}>
      <h1>{t('erase.title')}</h1>
      <p class="alert" role="alert">
        {t(reason === 'not_ended' ? 'erase.notEnded' : 'erase.ownerOnly')}
      </p>
      <p>
        <a href={`/t/${secret}?lang=${locale}`}>{t('followup.back')}</a>
      </p>
    </Layout>
  )
}
