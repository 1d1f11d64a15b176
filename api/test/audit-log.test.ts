import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditRowHash, GENESIS_HASH, type AuditHashFields } from '../src/audit/audit-hash'
import { createAuditLog, type AuditEntry } from '../src/audit/audit-log'
import { REPO_ROOT } from '../src/config/load-config'
import { openPgliteDir, queryRows, type Db } from '../src/db/database'
import { migrate } from '../src/db/migrate'
import { createTestDatabase, type TestDatabase } from './support/test-db'

const onPglite = !(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL)
const entry = (action: string, detail: Record<string, unknown> = {}): AuditEntry => ({
  actorUserId: null,
  actorIp: '10.0.0.1',
  action,
  targetKind: 'case',
  targetId: '1',
  detail,
})
const chain = (db: Db) =>
  queryRows<{ id: number; seq: number; prev_hash: string; hash: string; action: string }>(
    db,
    sql`
  select id::int, seq::int, prev_hash, hash, action from audit_log where seq is not null order by seq`,
  )

/**
 * Waits until every unsealed row is below the xid watermark. The watermark is cluster-wide: on PostgreSQL other
 * test files (other databases, same server) may have a write transaction open for a moment.
 */
async function settled(db: Db, rows: number) {
  const deadline = Date.now() + 15_000
  for (;;) {
    const [r] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from audit_log
      where seq is null and xid < pg_snapshot_xmin(pg_current_snapshot())`,
    )
    if (r!.n >= rows || Date.now() > deadline) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** `npm run audit:verify` in a real child process with only the given environment. */
function runCli(env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(REPO_ROOT, 'api/src/audit/audit-verify-cli.ts')], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let [out, err] = ['', '']
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out: out.trim(), err: err.trim() })))
}

describe('auditRowHash', () => {
  const row: AuditHashFields = {
    seq: 1,
    id: 7,
    at: '2026-01-02T03:04:05.123456Z',
    actorUserId: null,
    actorIp: null,
    action: 'case.view_phone',
    targetKind: 'case',
    targetId: 'c1',
    detail: { b: 1, a: { d: [1, { y: 1, x: 2 }], c: 2 } },
  }
  it('ignores the key order of detail at every depth (jsonb reorders keys)', () => {
    expect(auditRowHash(GENESIS_HASH, { ...row, detail: { a: { c: 2, d: [1, { x: 2, y: 1 }] }, b: 1 } })).toBe(auditRowHash(GENESIS_HASH, row))
  })
  it.each<[string, Partial<AuditHashFields> | null]>([
    ['seq', { seq: 2 }],
    ['id', { id: 8 }],
    ['at', { at: '2026-01-02T03:04:05.123457Z' }],
    ['actorUserId', { actorUserId: 'u' }],
    ['actorIp', { actorIp: '1.2.3.4' }],
    ['action', { action: 'x' }],
    ['targetKind', { targetKind: 'x' }],
    ['targetId', { targetId: 'x' }],
    ['detail', { detail: { b: 2 } }],
    ['prevHash', null],
  ])('changes when %s changes', (_field, change) => {
    const changed = change ? auditRowHash(GENESIS_HASH, { ...row, ...change }) : auditRowHash('f'.repeat(64), row)
    expect(changed).not.toBe(auditRowHash(GENESIS_HASH, row))
  })
})

describe('audit log', () => {
  let database: TestDatabase
  let audit: ReturnType<typeof createAuditLog>
  beforeAll(async () => {
    database = await createTestDatabase()
    audit = createAuditLog(database.db)
  })
  afterAll(() => database.close())

  it('seals recorded rows into a chain (seq 1..n, each prev_hash the previous hash) that verifies', async () => {
    await database.db.transaction(async (tx) => {
      await audit.record(tx, entry('a1', { z: 1, a: { y: [1, 2], b: null } }))
      await audit.recordMany(tx, [entry('a2'), entry('a3')])
    })
    // A rolled-back action takes its audit row with it: no gap in the chain.
    await expect(
      database.db.transaction(async (tx) => {
        await audit.record(tx, entry('rolled back'))
        throw new Error('abort')
      }),
    ).rejects.toThrow('abort')
    await audit.recordMany(database.db, [entry('b1'), entry('b2')])
    expect(await audit.verify()).toEqual({ ok: true, sealed: 0, unsealed: 5 })
    await settled(database.db, 5)
    expect([await audit.seal({ batch: 2 }), await audit.seal({ batch: 2 }), await audit.seal({ batch: 2 }), await audit.seal()]).toEqual([2, 2, 1, 0])
    const rows = await chain(database.db)
    expect(rows.map((r) => [r.seq, r.action])).toEqual([
      [1, 'a1'],
      [2, 'a2'],
      [3, 'a3'],
      [4, 'b1'],
      [5, 'b2'],
    ])
    expect(rows.map((r) => r.prev_hash)).toEqual([GENESIS_HASH, ...rows.slice(0, -1).map((r) => r.hash)])
    expect(await audit.verify()).toEqual({ ok: true, sealed: 5, unsealed: 0 })
  })

  it.each([
    ['an update of a sealed row', sql`update audit_log set detail = '{"x": 1}' where seq = 1`],
    ['re-sealing a sealed row', sql`update audit_log set hash = 'x' where seq = 1`],
    ['a delete', sql`delete from audit_log where seq = 1`],
    ['sealing that also edits the row', sql`update audit_log set seq = 999, hash = 'x', action = 'y' where seq is null`],
  ])('refuses %s (trigger)', async (_name, statement) => {
    await audit.record(database.db, entry('pending'))
    await expect(database.db.execute(statement)).rejects.toMatchObject({ cause: { code: '42501' } })
  })

  it.skipIf(onPglite)('chains in transaction (xid) order, and never past a transaction still running', async () => {
    await audit.sealAll({ waitMs: 15_000 })
    const [a, b] = [new pg.Client({ connectionString: database.url }), new pg.Client({ connectionString: database.url })]
    await Promise.all([a.connect(), b.connect()])
    const insert = (c: pg.Client, action: string) =>
      c
        .query<{ id: number; xid: string }>(`insert into audit_log (action, target_kind, target_id) values ($1, 'case', '1') returning id::int, xid::text`, [
          action,
        ])
        .then((r) => r.rows[0]!)
    try {
      await a.query('begin')
      const a1 = await insert(a, 'A1')
      await b.query('begin')
      const b1 = await insert(b, 'B1')
      await b.query('commit')
      const a2 = await insert(a, 'A2') // a higher id than B1, but A's older xid
      expect(a2.id).toBeGreaterThan(b1.id)
      expect(await audit.seal()).toBe(0)
      expect(await queryRows(database.db, sql`select id from audit_log where seq is not null and xid >= ${a1.xid}::xid8`)).toEqual([])
      await a.query('commit')
      expect(await audit.sealAll({ waitMs: 15_000 })).toBe(3)
      expect((await chain(database.db)).slice(-3).map((r) => r.action)).toEqual(['A1', 'A2', 'B1'])
      expect((await audit.verify()).ok).toBe(true)
    } finally {
      await Promise.all([a.end(), b.end()])
    }
  })

  it('the CLI seals what waits, verifies and prints one line (exit 0)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'msj-audit-'))
    // PGlite in memory cannot be shared with another process: on PGlite the CLI gets a DATA_DIR database.
    const target = onPglite ? await openPgliteDir(dataDir) : database
    if (onPglite) await migrate(target)
    await createAuditLog(target.db).recordMany(target.db, [entry('cli1'), entry('cli2')])
    const n = (await queryRows<{ n: number }>(target.db, sql`select count(*)::int as n from audit_log`))[0]!.n
    if (onPglite) await target.close()
    const run = await runCli({ DATA_DIR: dataDir, DATABASE_URL: database.url ?? '' })
    expect(run).toMatchObject({ code: 0, out: `audit log OK: ${n} rows chained, 0 waiting` })
  }, 180_000)
})

describe.skipIf(onPglite)('tampering (PostgreSQL superuser with the trigger disabled)', () => {
  it.each([
    ['an edited action', `update audit_log set action = 'case.view' where seq = 3`, { seq: 3, reason: 'hash' }],
    ['a relinked prev_hash', `update audit_log set prev_hash = hash where seq = 3`, { seq: 3, reason: 'prev_hash' }],
    ['a deleted row', `delete from audit_log where seq = 3`, { seq: 4, reason: 'gap' }],
  ])(
    'reports %s as the first broken row, and the CLI exits 1',
    async (_name, tamper, broken) => {
      const database = await createTestDatabase()
      try {
        const audit = createAuditLog(database.db)
        await audit.recordMany(
          database.db,
          ['a', 'b', 'c', 'd', 'e'].map((a) => entry(a)),
        )
        await audit.sealAll({ waitMs: 15_000 })
        const su = new pg.Client({ connectionString: database.url }) // the test URL's user is a superuser
        await su.connect()
        // One transaction: nobody else ever sees the table without its trigger.
        await su.query(`begin; alter table audit_log disable trigger audit_log_append_only; ${tamper};
        alter table audit_log enable trigger audit_log_append_only; commit`)
        await su.end()
        const result = await audit.verify()
        expect(result).toMatchObject({ ok: false, firstBroken: broken })
        const run = await runCli({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'msj-audit-')), DATABASE_URL: database.url! })
        expect(run.code).toBe(1)
        expect(run.err).toMatch(new RegExp(`^audit log BROKEN at seq ${broken.seq} \\(id \\d+\\): .+; ${result.sealed} rows chained, 0 waiting$`))
      } finally {
        await database.close()
      }
    },
    180_000,
  )
})
