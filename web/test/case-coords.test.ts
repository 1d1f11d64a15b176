import { h } from 'preact'
import { renderToString } from 'preact-render-to-string'
import { describe, expect, it } from 'vitest'
import { CaseCoords, formatCoords, geoHref } from '../src/components/case-coords'

describe('the case coordinates a resident sent with "use my location"', () => {
  const coords = { lat: 43.825592, lng: 87.616848, accuracy: 23.6 }

  it('are shown with their accuracy and a geo: link to open in a maps app (no map host)', () => {
    const html = renderToString(h(CaseCoords, { coords }))
    expect(formatCoords(coords)).toBe('43.82559, 87.61685 ±24 m')
    expect(geoHref(coords)).toBe('geo:43.825592,87.616848')
    expect(html).toContain('43.82559, 87.61685 ±24 m')
    expect(html).toContain('href="geo:43.825592,87.616848"')
    expect(html).not.toMatch(/https?:/)
  })

  it('leave out the accuracy when the browser gave none, and nothing at all without coordinates', () => {
    expect(formatCoords({ ...coords, accuracy: null })).toBe('43.82559, 87.61685')
    expect(renderToString(h(CaseCoords, { coords: null }))).toBe('')
    expect(renderToString(h(CaseCoords, { coords: undefined }))).toBe('')
  })
})
