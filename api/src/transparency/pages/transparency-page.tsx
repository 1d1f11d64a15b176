/** @jsxRuntime automatic @jsxImportSource preact */
import { LOCALE_INFO, type Locale } from '@mashangjian/shared'
import type { ComponentChildren } from 'preact'
import { Layout, type PageContext } from '../../public/pages/layout'
import type { MonthRates, StationRates, TransparencyModel } from '../transparency-service'

/** Only what this page adds to the resident pages' stylesheet: the rate tables and the list of matters. */
const EXTRA_CSS = `table{width:100%;border-collapse:collapse;margin:.25rem 0 1rem}
caption{text-align:start;font-weight:700;padding:.25rem 0}
th,td{padding:.3rem .4rem;border-bottom:1px solid #ddd;text-align:start;font-weight:400}
thead th{color:#555;font-size:1rem}
thead th+th{text-align:end}
td{text-align:end;font-variant-numeric:tabular-nums}
ul.matters{list-style:none;padding:0;margin:0}
ul.matters li{border-bottom:1px solid #ddd;padding:.75rem 0}
ul.matters p{margin:.25rem 0 0;overflow-wrap:anywhere}
.pager{display:flex;justify-content:space-between;gap:1rem;margin:1rem 0}
.pager a{display:inline-block;min-height:44px;line-height:44px}`

export interface TransparencyHead {
  /** The page's absolute address on PUBLIC_BASE_URL (og:url). */
  url: string
  /** The share card's absolute address (og:image). */
  image: string
}

export function percent(rate: number | null, locale: Locale): string | null {
  if (rate === null) return null
  return new Intl.NumberFormat(LOCALE_INFO[locale].intl, { style: 'percent', maximumFractionDigits: 0 }).format(rate)
}

/** WeChat shows <title> and og:description in the share card: "陇西县政协 · 码上见 履职公开", "本月解决率 96%". */
export function shareTexts(ctx: PageContext, model: TransparencyModel): { title: string; description: string } {
  const { t, locale } = ctx
  const who = model.station ? model.station.name : model.committee.name
  const rate = percent(model.total.thisMonth.rates.resolutionRate, locale)
  return {
    title: `${who} · ${t('app.name')} ${t('transparency.title')}`,
    description: rate ? t('transparency.shareDescription', { rate }) : t('transparency.shareDescriptionNone'),
  }
}

function Shell({
  ctx,
  title,
  description,
  head,
  children,
}: {
  ctx: PageContext
  title: string
  description?: string
  head?: TransparencyHead
  children: ComponentChildren
}) {
  const { t } = ctx
  const meta = (
    <>
      {description && <meta name="description" content={description} />}
      {head && (
        <>
          <meta property="og:type" content="website" />
          <meta property="og:site_name" content={t('app.name')} />
          <meta property="og:title" content={title} />
          {description && <meta property="og:description" content={description} />}
          <meta property="og:url" content={head.url} />
          <meta property="og:image" content={head.image} />
          <meta property="og:image:width" content="300" />
          <meta property="og:image:height" content="300" />
          <link rel="canonical" href={head.url} />
        </>
      )}
    </>
  )
  return (
    <Layout ctx={ctx} title={title} fullTitle head={meta} css={EXTRA_CSS}>
      {children}
    </Layout>
  )
}

function RatesTable({ ctx, caption, rates }: { ctx: PageContext; caption: ComponentChildren; rates: { thisMonth: MonthRates; lastMonth: MonthRates } }) {
  const { t, locale } = ctx
  const cell = (r: number | null) => percent(r, locale) ?? t('transparency.noData')
  const rows = [
    ['transparency.responseRate', 'responseRate'],
    ['transparency.resolutionRate', 'resolutionRate'],
    ['transparency.satisfactionRate', 'satisfactionRate'],
  ] as const
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('transparency.period')}</th>
          <th scope="col">{t('transparency.thisMonth')}</th>
          <th scope="col">{t('transparency.lastMonth')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, key]) => (
          <tr>
            <th scope="row">{t(label)}</th>
            <td>{cell(rates.thisMonth.rates[key])}</td>
            <td>{cell(rates.lastMonth.rates[key])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function StationTable({ ctx, base, s }: { ctx: PageContext; base: string; s: StationRates }) {
  return <RatesTable ctx={ctx} caption={<a href={`${base}/${s.station.id}`}>{s.station.name}</a>} rates={s} />
}

/** /p/{committee} and /p/{committee}/{station}: server-rendered, no script, one inline stylesheet. */
export function TransparencyPage({ ctx, model, head }: { ctx: PageContext; model: TransparencyModel; head: TransparencyHead }) {
  const { t } = ctx
  const { title, description } = shareTexts(ctx, model)
  const base = `/p/${model.committee.shortCode}`
  const here = model.station ? `${base}/${model.station.id}` : base
  const monthOf = (month: string) => t('transparency.month', { year: Number(month.slice(0, 4)), month: Number(month.slice(5, 7)) })
  return (
    <Shell ctx={ctx} title={title} description={description} head={head}>
      <h1>
        {model.station ? model.station.name : model.committee.name} {t('transparency.title')}
      </h1>
      {model.station && (
        <p>
          <a href={base}>{t('transparency.backToCommittee', { committee: model.committee.name })}</a>
        </p>
      )}
      {model.page === 1 && (
        <>
          <p class="muted">{t('transparency.intro')}</p>
          <h2>{t('transparency.ratesHeading')}</h2>
          <RatesTable ctx={ctx} caption={model.total.station.name} rates={model.total} />
          {model.stations.length > 0 && (
            <>
              <h2>{t('transparency.stationsHeading')}</h2>
              {model.stations.map((s) => (
                <StationTable ctx={ctx} base={base} s={s} />
              ))}
            </>
          )}
          <p class="hint">{t('transparency.ratesNote')}</p>
        </>
      )}
      <h2>
        {t('transparency.mattersHeading')}
        {model.page > 1 ? ` · ${t('transparency.pageOf', { page: model.page })}` : ''}
      </h2>
      {model.matters.length === 0 ? (
        <p>{t('transparency.noMatters')}</p>
      ) : (
        <ul class="matters">
          {model.matters.map((m) => (
            <li>
              <b>{m.category ?? t('transparency.otherCategory')}</b> · <span class="muted">{monthOf(m.month)}</span>
              <p>{m.text}</p>
            </li>
          ))}
        </ul>
      )}
      {(model.page > 1 || model.hasMore) && (
        <nav class="pager" aria-label={t('transparency.mattersHeading')}>
          {model.page > 1 ? (
            <a href={model.page === 2 ? here : `${here}?page=${model.page - 1}`} rel="prev">
              {t('transparency.newer')}
            </a>
          ) : (
            <span />
          )}
          {model.hasMore && (
            <a href={`${here}?page=${model.page + 1}`} rel="next">
              {t('transparency.older')}
            </a>
          )}
        </nav>
      )}
    </Shell>
  )
}

/** Unknown committee, station or page: a friendly 404 in the visitor's language. */
export function TransparencyNotFound({ ctx }: { ctx: PageContext }) {
  const { t } = ctx
  return (
    <Shell ctx={ctx} title={`${t('transparency.notFoundTitle')} · ${t('app.name')}`}>
      <h1>{t('transparency.notFoundTitle')}</h1>
      <p>{t('transparency.notFoundBody')}</p>
    </Shell>
  )
}
