import { existsSync } from 'node:fs'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

const NOT_BUILT = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>码上见</title>
<p>The web app has not been built yet. Run <code>npm run build</code> (or <code>npm start</code>, which builds it).</p>
<p><a href="/docs">API documentation</a></p></html>`

/**
 * Serves the built Preact app from web/dist. Hashed assets are immutable; HTML must be revalidated so a
 * new deploy reaches phones (WeChat's browser caches aggressively).
 */
export async function registerWebApp(app: FastifyInstance, distDir: string): Promise<void> {
  if (!existsSync(path.join(distDir, 'index.html'))) {
    app.get('/', { config: { access: 'public' }, schema: { hide: true } }, (_req, reply) => reply.type('text/html').send(NOT_BUILT))
    return
  }
  await app.register(fastifyStatic, {
    root: distDir,
    prefix: '/',
    index: ['index.html'],
    wildcard: false,
    setHeaders(reply, filePath) {
      const immutable = filePath.includes(`${path.sep}assets${path.sep}`)
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    },
  })
}
