import { loadSharp } from '../lazy-libraries'

/**
 * The og:image of the transparency pages: a 300×300 PNG (WeChat crops share thumbnails square and ignores SVG),
 * drawn from shapes only — no text, so no font is needed on the server — and rendered once per process.
 * Red like the page header, a white card with three rising bars (the 三率) and a tick.
 */
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300" viewBox="0 0 300 300">
<rect width="300" height="300" fill="#a31515"/>
<rect x="40" y="40" width="220" height="220" rx="28" fill="#fff"/>
<rect x="78" y="150" width="36" height="70" rx="6" fill="#a31515"/>
<rect x="132" y="118" width="36" height="102" rx="6" fill="#a31515"/>
<rect x="186" y="84" width="36" height="136" rx="6" fill="#a31515"/>
<path d="M74 104l22 22 40-44" fill="none" stroke="#1e6b34" stroke-width="14" stroke-linecap="round" stroke-linejoin="round"/>
</svg>`

let card: Promise<Buffer> | undefined
export function shareCardPng(): Promise<Buffer> {
  card ??= loadSharp().then((sharp) => sharp(Buffer.from(SVG)).png({ compressionLevel: 9, palette: true }).toBuffer())
  return card
}
