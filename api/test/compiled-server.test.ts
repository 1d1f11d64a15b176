import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../src/config/load-config'
import { createTestDatabase, type TestDatabase } from './support/test-db'
import { freePort, spawnServer, waitForHealth } from './support/server-process'

/**
 * Issue 17: `npm start` and the image run the compiled server (`node api/dist/server.js`, built by scripts/build.mjs),
 * not the TypeScript sources. Every path the server reads at run time (migrations, placard fonts) is found from the
 * bundle as from the sources, and a build with no change in its inputs does nothing. The build is the real one into
 * api/dist, as `npm start` makes it.
 */
const build = () => promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs'), 'api'], { cwd: REPO_ROOT })

describe('the compiled server', { timeout: 300_000 }, () => {
  let database: TestDatabase | undefined
  let env: Record<string, string>
  beforeAll(async () => {
    await build()
    database = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL ? await createTestDatabase({ empty: true }) : undefined
    env = { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'msj-dist-')), DATABASE_URL: database?.url ?? '' }
  }, 300_000)
  afterAll(async () => {
    await database?.close()
  })

  it('is not rebuilt when nothing changed', async () => {
    const { stdout } = await build()
    expect(stdout).toMatch(/^API server: up to date \(api\/dist\)$/m)
  })

  it('starts from api/dist on an empty database (migrations, demo seed), prints a placard PDF with its fonts, stops on SIGTERM', async () => {
    const port = await freePort()
    const proc = spawnServer({ ...env, PORT: String(port) }, [process.execPath, path.join(REPO_ROOT, 'api', 'dist', 'server.js')])
    await waitForHealth(port, proc, 240_000)
    const base = `http://127.0.0.1:${port}`
    const scan = proc.stdout().match(/scan URL for .+: \S+(\/q\/\S+)/)?.[1]
    expect(scan).toBeDefined()
    expect((await fetch(`${base}${scan}`)).status).toBe(200)
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'station', password: 'demo12345' }),
    })
    const { accessToken } = (await login.json()) as { accessToken: string }
    const auth = { authorization: `Bearer ${accessToken}` }
    const me = (await (await fetch(`${base}/api/v1/me`, { headers: auth })).json()) as { stationIds: string[] }
    const pdf = await fetch(`${base}/api/v1/placards.pdf?stationId=${me.stationIds[0]}`, { headers: auth })
    expect(pdf.status).toBe(200)
    const bytes = Buffer.from(await pdf.arrayBuffer()).toString('latin1')
    expect(bytes.startsWith('%PDF-')).toBe(true)
    // The CJK font subset is embedded (read from api/src/placards/fonts by the bundle).
    expect(bytes).toMatch(/\/FontFile2/)
    proc.child.kill('SIGTERM')
    expect(await proc.exited).toBe(0)
  })
})
