import { existsSync } from 'node:fs'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

const NOT_BUILT = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>码上见</title>
<p>The web app has not been built yet. Run <code>npm run build</code> (or <code>npm start</code>, which builds it).</p>
<p><a href="/docs">API documentation</a></p></html>`

/** Where the member app lives; push notices deep-link into it (`/app/cases/{id}`). */
export const APP_BASE = '/app/'

/**
 * Serves the built member app (web/dist) under /app/. Hashed assets are immutable; everything else (index.html,
 * sw.js, the manifest) must be revalidated so a new deploy reaches phones: WeChat's browser caches aggressively
 * and a stale sw.js would pin the old version. Paths without a file extension are app routes and get
 * index.html (the app routes on the client). Files are looked up per request, so a rebuild is served at once.
 */
export async function registerWebApp(app: FastifyInstance, distDir: string): Promise<void> {
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, (_req, reply) => reply.redirect(APP_BASE))
  if (!existsSync(path.join(distDir, 'index.html'))) {
    app.get('/app/*', { config: { access: 'public' }, schema: { hide: true } }, (_req, reply) => reply.type('text/html').send(NOT_BUILT))
    return
  }
  await app.register(fastifyStatic, {
    root: distDir,
    serve: false,
    setHeaders(res, filePath) {
      const immutable = filePath.includes(`${path.sep}assets${path.sep}`)
      res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    },
  })
  // The router ignores trailing slashes, so this is both /app and /app/; the app itself wants /app/.
  app.get('/app', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) =>
    request.url.split('?')[0] === '/app' ? reply.redirect(APP_BASE) : reply.sendFile('index.html', { cacheControl: false }),
  )
  app.get<{ Params: { '*': string } }>('/app/*', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) => {
    const rel = request.params['*']
    // Build metadata (.vite/manifest.json) is for the benchmark, not for browsers.
    if (rel.split('/').some((part) => part.startsWith('.'))) return reply.callNotFound()
    const file = rel === '' || path.extname(rel) === '' ? 'index.html' : rel
    return reply.sendFile(file, { cacheControl: false })
  })
}
