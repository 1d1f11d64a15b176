/** @jsxRuntime automatic @jsxImportSource preact */
import { Field } from './form-fields'
import type { SubmissionIssue } from '../submission-rules'
import { Layout, type PageContext } from './layout'
import type { RecoveryIssue } from '../recovery-service'

/** Where "找回我的诉求" lives; every recovery page's language links point here (a GET), never at the POST. */
export const RECOVERY_PATH = '/t'

/** The form: public number and phone, each with its error under it; what was typed is kept after an error. */
export function RecoveryPage({
  ctx,
  values = {},
  issues = [],
}: {
  ctx: PageContext
  values?: { publicNo?: string | undefined; phone?: string | undefined }
  issues?: RecoveryIssue[]
}) {
  const { t, locale } = ctx
  // Field renders any issue by its key and values; only the field names differ from the scan form's.
  const byField = new Map(issues.map((i) => [i.field, i as unknown as SubmissionIssue]))
  return (
    <Layout ctx={{ ...ctx, path: RECOVERY_PATH }} title={t('recover.title')}>
      <h1>{t('recover.title')}</h1>
      <p>{t('recover.intro')}</p>
      {issues.length > 0 && (
        <p class="alert" role="alert">
          {t('form.errorSummary', { count: issues.length })}
        </p>
      )}
      <form method="post" action={`/t/recover?lang=${locale}`} noValidate>
        <Field
          id="publicNo"
          label={t('recover.number')}
          hint={t('recover.numberHint')}
          issue={byField.get('publicNo')}
          t={t}
          render={(aria) => (
            <input
              name="publicNo"
              required
              maxLength={40}
              autoCapitalize="characters"
              autoComplete="off"
              spellcheck={false}
              dir="ltr"
              value={values.publicNo ?? ''}
              {...aria}
            />
          )}
        />
        <Field
          id="phone"
          label={t('recover.phone')}
          hint={t('recover.phoneHint')}
          issue={byField.get('phone')}
          t={t}
          render={(aria) => (
            <input name="phone" type="tel" inputMode="tel" autoComplete="tel" required maxLength={20} dir="ltr" value={values.phone ?? ''} {...aria} />
          )}
        />
        <button type="submit">{t('recover.submit')}</button>
      </form>
    </Layout>
  )
}

/** The one answer, whether or not the pair matched (nothing on it depends on the lookup). */
export function RecoverySentPage({ ctx }: { ctx: PageContext }) {
  const { t, locale } = ctx
  return (
    <Layout ctx={{ ...ctx, path: RECOVERY_PATH }} title={t('recover.sent.title')}>
      <h1>{t('recover.sent.title')}</h1>
      <p class="ok" role="status">
        {t('recover.sent.body')}
      </p>
      <p>
        <a href={`${RECOVERY_PATH}?lang=${locale}`}>{t('recover.again')}</a>
      </p>
    </Layout>
  )
}

export function RecoveryThrottledPage({ ctx, retryAfterSeconds }: { ctx: PageContext; retryAfterSeconds: number }) {
  const { t } = ctx
  return (
    <Layout ctx={{ ...ctx, path: RECOVERY_PATH }} title={t('recover.throttled.title')}>
      <h1>{t('recover.throttled.title')}</h1>
      <p>{t('recover.throttled.body', { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) })}</p>
    </Layout>
  )
}
