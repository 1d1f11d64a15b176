// Regenerates the PNG app icons from icons/icon.svg (run: node web/scripts/make-icons.mjs). The PNGs are committed
// so a build needs no image tooling; sharp comes with the api workspace.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons')
const svg = await readFile(path.join(dir, 'icon.svg'))
for (const size of [192, 512])
  await sharp(svg)
    .resize(size, size)
    .png()
    .toFile(path.join(dir, `icon-${size}.png`))
// Maskable: the artwork within the central 80 % safe zone, on a full-bleed background.
const inner = await sharp(svg).resize(384, 384).png().toBuffer()
await sharp({ create: { width: 512, height: 512, channels: 4, background: '#b71c1c' } })
  .composite([{ input: inner, gravity: 'center' }])
  .png()
  .toFile(path.join(dir, 'maskable-512.png'))
await sharp(svg).resize(180, 180).flatten({ background: '#b71c1c' }).png().toFile(path.join(dir, 'apple-touch-icon.png'))
console.log('icons written to', dir)
