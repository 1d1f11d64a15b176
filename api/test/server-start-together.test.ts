import { afterAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from './support/test-db'
import { freePort, spawnServer, waitForHealth, type ServerProcess } from './support/server-process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const onPostgres = Boolean(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL)

/**
 * Issue 17: several API processes started at the same moment on one empty PostgreSQL database all come up.
 * Before: one of two died every time (the demo seed ran outside the migration lock and hit the committee short
 * code's unique index; with SEED_DEMO=false pg-boss's schema set-up deadlocked). PGlite is one process by design.
 */
describe.skipIf(!onPostgres)('API processes started together', { timeout: 300_000 }, () => {
  const databases: TestDatabase[] = []
  const running: ServerProcess[] = []
  afterAll(async () => {
    for (const p of running) p.child.kill('SIGKILL')
    for (const d of databases) await d.close()
  })

  it.each([
    ['with the demo seed', {}],
    ['without it', { SEED_DEMO: 'false' }],
  ])('three processes on an empty database all answer /healthz (%s), and the demo county is seeded once', async (_label, extra) => {
    const database = await createTestDatabase({ empty: true })
    databases.push(database)
    const ports = await Promise.all([freePort(), freePort(), freePort()])
    // One DATA_DIR (one machine, as `npm start` thrice): the secrets generated on first start must be one set.
    const dataDir = mkdtempSync(path.join(tmpdir(), 'msj-together-'))
    const procs = ports.map((port) => spawnServer({ DATA_DIR: dataDir, DATABASE_URL: database.url!, PORT: String(port), ...extra }))
    running.push(...procs)
    await Promise.all(procs.map((proc, i) => waitForHealth(ports[i]!, proc, 240_000)))
    const { rows } = await database.pool!.query<{ n: number }>('select count(*)::int as n from committee')
    expect(rows[0]!.n).toBe('SEED_DEMO' in extra ? 0 : 2)
    if (!('SEED_DEMO' in extra)) {
      // One set of secrets: a session from the first process is good on the third.
      const login = await fetch(`http://127.0.0.1:${ports[0]}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'committee', password: 'demo12345' }),
      })
      const { accessToken } = (await login.json()) as { accessToken: string }
      expect((await fetch(`http://127.0.0.1:${ports[2]}/api/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200)
    }
    for (const proc of procs) proc.child.kill('SIGTERM')
    expect(await Promise.all(procs.map((p) => p.exited))).toEqual([0, 0, 0])
  })
})
