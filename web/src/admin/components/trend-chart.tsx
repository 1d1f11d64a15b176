import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { MetricsBucket } from '@mashangjian/shared'
import { at } from '../admin-text'

const SERIES = [
  ['responseRate', '#0b57d0'],
  ['resolutionRate', '#1b5e20'],
  ['satisfactionRate', '#b71c1c'],
] as const

/** The width a month's name needs on the axis ("12月" / "Dec"), with room between. */
const MIN_TICK_PX = 40

/**
 * Where the month axis puts its ticks: on the months themselves (one each), or on every second or third month
 * when the chart is too narrow for all their names (`width` in CSS px, the y axis takes about 60).
 */
export function monthSplits(months: number[], width: number): number[] {
  const fit = Math.max(1, Math.floor((width - 60) / MIN_TICK_PX))
  const step = Math.max(1, Math.ceil(months.length / fit))
  return months.filter((_, i) => i % step === 0)
}

/** The 三率 by month (uPlot: small, canvas, no network), sized to its container so it reads on a phone too. */
export function TrendChart({ trend }: { trend: MetricsBucket[] }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el) return
    const x = trend.map((b) => Date.UTC(Number(b.month.slice(0, 4)), Number(b.month.slice(5, 7)) - 1, 15) / 1000)
    const ys = SERIES.map(([k]) => trend.map((b) => (b.rates[k] === null ? null : Math.round(b.rates[k]! * 1000) / 10)))
    const month = (s: number) => at.monthTick(new Date(s * 1000).getUTCMonth() + 1)
    const chart = new uPlot(
      {
        width: el.clientWidth || 320,
        height: 240,
        scales: { y: { range: [0, 100] } },
        axes: [
          // One tick per month, on the months themselves (uPlot's own time splits fall every few days and repeat
          // a month's name); on a narrow phone every second or third month, so the names never collide.
          {
            splits: (u) => monthSplits(x, u.width),
            values: (_u, splits) => splits.map(month),
          },
          { values: (_u, splits) => splits.map((s) => `${s}%`) },
        ],
        series: [
          { label: at.trendMonth, value: (_u: uPlot, v: number | null) => (v === null ? '—' : month(v)) },
          ...SERIES.map(([k, stroke]) => ({
            label: at[k],
            stroke,
            width: 2,
            spanGaps: true,
            value: (_u: uPlot, v: number | null) => (v === null ? '—' : `${v}%`),
          })),
        ],
      },
      [x, ...ys] as uPlot.AlignedData,
      el,
    )
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height: 240 }))
    resize.observe(el)
    return () => {
      resize.disconnect()
      chart.destroy()
    }
  }, [trend])
  return <div class="chart" ref={box} role="img" aria-label={at.trendTitle} />
}
