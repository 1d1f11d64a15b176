/** @jsxRuntime automatic @jsxImportSource preact */
import type { CaseSummary } from '@mashangjian/shared'
import { t } from '../i18n'

type Coords = NonNullable<CaseSummary['coords']>

/** A `geo:` URI: the phone offers its maps apps; nothing is fetched from a map host. */
export const geoHref = (c: Coords) => `geo:${c.lat},${c.lng}`

/** 5 decimals ≈ 1 m; the browser's accuracy radius after it, rounded to metres. */
export const formatCoords = (c: Coords) => `${c.lat.toFixed(5)}, ${c.lng.toFixed(5)}${c.accuracy === null ? '' : ` ±${Math.round(c.accuracy)} m`}`

/** Where the resident was when they sent the case ("使用我的位置" on the scan page), with a link to a maps app. */
export function CaseCoords({ coords }: { coords: CaseSummary['coords'] }) {
  if (!coords) return null
  return (
    <p data-testid="case-coords">
      <span class="hint">{t.coords}</span>
      <br />
      <a href={geoHref(coords)} dir="ltr">
        {formatCoords(coords)}
      </a>{' '}
      · <a href={geoHref(coords)}>{t.openInMaps}</a>
    </p>
  )
}
