/** @jsxRuntime automatic @jsxImportSource preact */
import type { HolderPhone } from '../../privacy/phone-withdrawal-service'
import { Layout, type PageContext } from './layout'

/** Where the tracking page's "删除我的手机号" leads: a confirm page (GET) whose form posts the withdrawal. */
export const phonePath = (secret: string) => `/t/${secret}/phone`

/**
 * The tracking page's part about the holder's own phone (issue 19): while one is on file, what it is used for and
 * the way to remove it; once removed, that it was. Nothing when they never left one.
 */
export function PhoneSection({ ctx, secret, phone }: { ctx: PageContext; secret: string; phone: HolderPhone }) {
  const { t, locale } = ctx
  if (phone === 'none') return null
  return (
    <section class="box" data-testid="phone-section" aria-labelledby="phone-title">
      <h2 id="phone-title">{t('phone.title')}</h2>
      {phone === 'on_file' ? (
        <>
          <p>{t('phone.onFile')}</p>
          <p>
            <a href={`${phonePath(secret)}?lang=${locale}`} data-testid="phone-remove">
              {t('phone.remove')}
            </a>
          </p>
        </>
      ) : (
        <p data-testid="phone-withdrawn">{t('phone.withdrawn')}</p>
      )}
    </section>
  )
}

/** The confirm step: what removing the number means, then one button that posts it (works without JavaScript). */
export function PhoneWithdrawConfirmPage({ ctx, secret }: { ctx: PageContext; secret: string }) {
  const { t, locale } = ctx
  return (
    <Layout ctx={ctx} title={t('phone.confirmTitle')}>
      <h1>{t('phone.confirmTitle')}</h1>
      <p class="alert">{t('phone.confirmBody')}</p>
      <form method="post" action={`${phonePath(secret)}?lang=${locale}`} data-testid="phone-confirm-form">
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" data-testid="phone-confirm">
          {t('phone.confirm')}
        </button>
      </form>
      <p>
        <a href={`/t/${secret}?lang=${locale}`} data-testid="phone-cancel">
          {t('phone.cancel')}
        </a>
      </p>
    </Layout>
  )
}
