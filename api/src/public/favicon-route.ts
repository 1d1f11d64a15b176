import type { FastifyPluginAsync } from 'fastify'
import { loadSharp } from '../lazy-libraries'

/**
 * The app icon (the same drawing as the member app's web/public/icons/icon.svg: a red tile, three QR finder
 * squares and a speech bubble), kept here so the API serves it without the web build.
 */
export const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="#b71c1c"/>' +
  '<g fill="none" stroke="#fff" stroke-width="28"><rect x="110" y="110" width="112" height="112" rx="12"/><rect x="290" y="110" width="112" height="112" rx="12"/><rect x="110" y="290" width="112" height="112" rx="12"/></g>' +
  '<g fill="#fff"><rect x="144" y="144" width="44" height="44"/><rect x="324" y="144" width="44" height="44"/><rect x="144" y="324" width="44" height="44"/>' +
  '<path d="M296 296h108a20 20 0 0 1 20 20v56a20 20 0 0 1-20 20h-52l-36 32v-32a20 20 0 0 1-20-20v-56a20 20 0 0 1 20-20z"/></g></svg>'

/** A week: the icon hardly ever changes, and every scan would otherwise ask for it again. */
const CACHE = 'public, max-age=604800'

/**
 * `/favicon.ico`, which every browser asks for on every scan page (a 404 each time before): a 32 px PNG drawn
 * once from ICON_SVG (browsers take PNG data at that address), and the SVG itself for `<link rel="icon">`.
 */
export const faviconRoutes: FastifyPluginAsync = async (app) => {
  let png: Promise<Buffer> | undefined
  app.get('/favicon.ico', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    png ??= loadSharp().then((sharp) => sharp(Buffer.from(ICON_SVG)).resize(32, 32).png().toBuffer())
    return reply
      .header('cache-control', CACHE)
      .type('image/png')
      .send(await png)
  })
  app.get('/favicon.svg', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', CACHE).type('image/svg+xml').send(ICON_SVG),
  )
}
