import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app'
import { createAuditLog } from '../../src/audit/audit-log'
import { prepareDatabase } from '../../src/bootstrap'
import { loadConfig } from '../../src/config/load-config'
import { queryRows, type Database } from '../../src/db/database'
import { MIGRATIONS_DIR } from '../../src/db/migrate'
import { signIn } from '../support/case-actions'
import { ManualClock } from '../support/manual-clock'
import { testConfig } from '../support/test-app'
import { createTestDatabase, type TestDatabase } from '../support/test-db'
import { testDatabaseUrl } from '../support/test-db-url'

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'upgrade')

/** What the fixture's README says was done on the old release, and what it answered then. */
interface FixtureFacts {
  commit: string
  migrations: number
  scanCode: string
  memberName: string
  committeeId: string
  dashboard: { from: string; to: string; counts: Record<string, number> }
  cases: { publicNo: string; trackingSecret: string; phone: string | null; status: string }[]
}

const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.sql.gz'))
  .map((f) => f.replace(/\.sql\.gz$/, ''))
const onPostgres = Boolean(testDatabaseUrl())

/**
 * A database made by an earlier release (a dump committed under test/fixtures/upgrade, see its README) is loaded
 * into an empty database; the current server prepares it as on every start (migrations, back-fills) and answers.
 */
describe.each(fixtures)(`upgrade from %s (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, { timeout: 600_000 }, (name) => {
  const facts = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as FixtureFacts
  const dataDir = mkdtempSync(path.join(tmpdir(), 'msj-upgrade-'))
  let empty: TestDatabase | undefined
  let database: Database
  let app: FastifyInstance

  beforeAll(async () => {
    const dump = gunzipSync(readFileSync(path.join(FIXTURES, `${name}.sql.gz`))).toString('utf8')
    if (onPostgres) {
      empty = await createTestDatabase({ empty: true })
      const client = new pg.Client({ connectionString: empty.url })
      await client.connect()
      try {
        await client.query(dump)
      } finally {
        await client.end()
      }
    } else {
      const pglite = await PGlite.create(path.join(dataDir, 'pglite'))
      await pglite.exec(dump)
      await pglite.close()
    }
    // The old release's keys: without them its stored phones are unreadable (as after a restore without secrets).
    copyFileSync(path.join(FIXTURES, `${name}.secrets.json`), path.join(dataDir, 'secrets.json'))
    const env = { DATA_DIR: dataDir, ...(empty?.url ? { DATABASE_URL: empty.url } : {}) }
    const config = testConfig({ dataDir, databaseUrl: empty?.url, secrets: loadConfig(env).secrets })
    database = await prepareDatabase(config)
    app = await buildApp({ config, database, clock: new ManualClock(new Date()) })
    await app.ready()
  }, 300_000)
  afterAll(async () => {
    await app?.close()
    await database?.close()
    await empty?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('applies every current migration on top of the old ones', async () => {
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'))
    expect(files.length).toBeGreaterThan(facts.migrations)
    const [applied] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`)
    expect(applied!.n).toBe(files.length)
  })

  it('answers /healthz and the scan page of a demo code', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toMatchObject({ status: 'ok' })
    const scan = await app.inject({ url: `/q/${facts.scanCode}` })
    expect(scan.statusCode).toBe(200)
    expect(scan.body).toContain(facts.memberName)
  })

  it("opens the old release's tracking links", async () => {
    for (const c of facts.cases) {
      const page = await app.inject({ url: `/t/${c.trackingSecret}` })
      expect(page.statusCode, c.publicNo).toBe(200)
      expect(page.body).toContain(c.publicNo)
    }
  })

  it('lets the member sign in, see the old cases in the inbox and read the phone of an assigned one', async () => {
    const member = await signIn(app, 'wangjianguo')
    const res = await member.get('/api/v1/me/cases?filter=all&limit=50')
    expect(res.statusCode, res.body).toBe(200)
    const inbox = res.json<{ items: { id: string; publicNo: string; status: string }[] }>()
    for (const c of facts.cases) expect(inbox.items.find((i) => i.publicNo === c.publicNo)?.status).toBe(c.status)
    const withPhone = facts.cases.find((c) => c.phone)!
    const id = inbox.items.find((i) => i.publicNo === withPhone.publicNo)!.id
    expect((await member.detail(id)).residentPhone).toBe(withPhone.phone)
    // The audit chain written by the old release still verifies after the migrations.
    const audit = createAuditLog(database.db)
    await audit.sealAll({ waitMs: 5_000 })
    expect(await audit.verify()).toMatchObject({ ok: true })
  })

  it('shows the dashboard figures the old release showed', async () => {
    // As the server's job does at start: the aggregates are brought up to the change log.
    while ((await app.services.metricsAggregator.catchUp()) > 0);
    const admin = await signIn(app, 'committee')
    const { from, to, counts } = facts.dashboard
    const res = await admin.get(`/api/v1/dashboard/summary?scope=committee&id=${facts.committeeId}&from=${from}&to=${to}`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json<{ current: { counts: Record<string, number> } }>().current.counts).toMatchObject(counts)
  })
})
