import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './support/test-app'

// How the API serves the member app's build under /app/ (a tiny stand-in build, so this runs without vite).
describe('member app hosting', () => {
  let t: TestApp
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'msj-dist-'))
    await mkdir(path.join(dir, 'assets'))
    await mkdir(path.join(dir, '.vite'))
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>app</title>')
    await writeFile(path.join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {})')
    await writeFile(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)')
    await writeFile(path.join(dir, '.vite', 'manifest.json'), '{}')
    t = await createTestApp({ webDistDir: dir })
  })
  afterAll(async () => {
    await t?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it.each([
    ['/', 302, undefined, '/app/'],
    ['/app', 302, undefined, '/app/'],
    ['/app/', 200, 'no-cache', undefined],
    ['/app/cases/0b1c6d1e-0000-4000-8000-000000000000', 200, 'no-cache', undefined],
    ['/app/me', 200, 'no-cache', undefined],
    ['/app/sw.js', 200, 'no-cache', undefined],
    ['/app/assets/index-abc123.js', 200, 'public, max-age=31536000, immutable', undefined],
    ['/app/assets/missing-1.js', 404, undefined, undefined],
    ['/app/.vite/manifest.json', 404, undefined, undefined],
    ['/app/%2e%2e/package.json', 404, undefined, undefined],
  ])('GET %s → %i', async (url, status, cache, location) => {
    const res = await t.app.inject({ method: 'GET', url })
    expect(res.statusCode).toBe(status)
    if (cache) expect(res.headers['cache-control']).toBe(cache)
    if (location) expect(res.headers.location).toBe(location)
    if (status === 404) expect(res.headers['content-type']).toContain('application/problem+json')
    if (status === 200 && !url.includes('.js')) expect(res.body).toContain('<title>app</title>')
  })
})
