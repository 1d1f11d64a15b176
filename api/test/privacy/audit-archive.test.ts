import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { auditLog, auditLogArchive } from '../../src/db/schema'
import { createAuditArchive } from '../../src/audit/audit-archive'
import { createAuditLog } from '../../src/audit/audit-log'
import { openPgliteDir } from '../../src/db/database'
import { migrate } from '../../src/db/migrate'
import { withDemoApp } from '../support/demo-app'
import { ManualClock } from '../support/manual-clock'

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
/** `npm run audit:verify` in a real child process. */
function runCli(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(REPO_ROOT, 'api/src/audit/audit-verify-cli.ts')], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out: out.trim() })))
}

/** Issue 19: audit rows past the kept age (≥ 6 months, MLPS) move to the archive table, and the chain still verifies. */
const ctx = withDemoApp()
const DAY = 86_400_000
const db = () => ctx.t.database.db
const audit = () => ctx.t.app.services.audit
const count = async (table: typeof auditLog | typeof auditLogArchive) =>
  (
    await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(table)
  )[0]!.n
/** The database's own refusal (drizzle wraps it: "Failed query…", the cause says why). */
const refusal = (q: Promise<unknown>) =>
  q.then(
    () => 'allowed',
    (err: { message: string; cause?: { message?: string } }) => `${err.message} ${err.cause?.message ?? ''}`,
  )
const record = (action: string) => db().transaction((tx) => audit().record(tx, { actorUserId: null, action, targetKind: 'test', targetId: action }))

describe('audit archive', () => {
  it('moves only rows older than 6 months, as a prefix of the chain; verify walks archive + live; tampering is still caught', async () => {
    for (const n of [1, 2, 3]) await record(`archive.test.old${n}`)
    await audit().sealAll({ waitMs: 5000 })
    const sealedOld = await count(auditLog)
    expect(sealedOld).toBeGreaterThan(1)
    const archive = ctx.t.app.services.auditArchive

    // Nothing is 6 months old yet (rows carry the database's time; the job reads the test clock).
    expect(await archive.run()).toMatchObject({ archived: 0 })

    // Rows carry the database's (real) time: move the test clock 6 months and a few days past it. Every existing row
    // is then old: all but the newest chained row move.
    ctx.t.clock.advance(Date.now() - ctx.t.clock.now().getTime() + 186 * DAY)
    const report = await archive.run()
    expect(report.archived).toBe(sealedOld - 1)
    expect(await count(auditLogArchive)).toBe(sealedOld - 1)
    // The run itself is audited with its count.
    const [run] = await db()
      .select()
      .from(auditLog)
      .where(sql`${auditLog.action} = 'audit.archived'`)
    expect(run!.detail).toMatchObject({ rows: sealedOld - 1, afterMonths: 6 })

    // New rows chain on; verify checks archive then live as one chain.
    await record('archive.test.new')
    await audit().sealAll({ waitMs: 5000 })
    const verified = await audit().verify()
    expect(verified).toMatchObject({ ok: true, archived: sealedOld - 1 })
    expect(verified.sealed).toBe((await count(auditLog)) + (await count(auditLogArchive)) - verified.unsealed)

    // Again: what became old meanwhile moves too; the newest chained row stays live, the chain still verifies.
    const again = await archive.run()
    expect(await count(auditLog)).toBeGreaterThanOrEqual(1)
    expect((await audit().verify()).ok).toBe(true)
    expect(again.upToSeq).toBeGreaterThanOrEqual(report.upToSeq)

    // A live row cannot be deleted unless archived; archived rows cannot be changed or deleted.
    expect(await refusal(db().execute(sql`delete from audit_log where seq = (select max(seq) from audit_log)`))).toMatch(/audit_log is append-only/)
    expect(await refusal(db().execute(sql`delete from audit_log_archive where seq = 1`))).toMatch(/audit_log_archive is append-only/)
    expect(await refusal(db().execute(sql`update audit_log_archive set action = 'x' where seq = 1`))).toMatch(/audit_log_archive is append-only/)
  })

  it('`npm run audit:verify` verifies across archive + live, and reports a broken archived row', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'msj-archive-'))
    const onPglite = !ctx.t.database.url
    // PGlite in memory cannot be shared with another process: on PGlite the CLI gets a DATA_DIR database.
    const open = async () => {
      const target = onPglite ? await openPgliteDir(dataDir) : ctx.t.database
      if (onPglite) await migrate(target)
      return { target, done: () => (onPglite ? target.close() : Promise.resolve()) }
    }
    const env = { DATA_DIR: dataDir, DATABASE_URL: ctx.t.database.url ?? '' }
    {
      const { target, done } = await open()
      const log = createAuditLog(target.db)
      await log.recordMany(
        target.db,
        [1, 2, 3, 4].map((i) => ({ actorUserId: null, action: `cli.${i}`, targetKind: 'test', targetId: String(i) })),
      )
      await log.sealAll({ waitMs: 5000 })
      const far = new ManualClock(new Date(Date.now() + 200 * DAY))
      expect((await createAuditArchive({ db: target.db, audit: log, clock: far }).run()).archived).toBeGreaterThan(0)
      await done()
    }
    const ok = await runCli(env)
    expect(ok.out).toMatch(/audit log OK: \d+ rows chained \(\d+ of them archived\)/)
    expect(ok.code).toBe(0)
    {
      // Tamper with an archived row (as a superuser could, past the trigger): the CLI says where.
      const { target, done } = await open()
      await target.db.execute(sql`alter table audit_log_archive disable trigger audit_log_archive_append_only`)
      await target.db.execute(sql`update audit_log_archive set detail = '{"edited":true}'::jsonb where seq = 2`)
      await target.db.execute(sql`alter table audit_log_archive enable trigger audit_log_archive_append_only`)
      await done()
    }
    const broken = await runCli(env)
    expect(broken.out).toMatch(/BROKEN at seq 2/)
    expect(broken.code).toBe(1)
  }, 180_000)

  it('never archives younger than 6 months, whatever it is told', async () => {
    const archive = createAuditArchive({ db: db(), audit: audit(), clock: ctx.t.clock, afterMonths: 1 })
    await record('archive.test.young')
    await audit().sealAll({ waitMs: 5000 })
    // The rows just written are at database time, ~6 months before the test clock: 1 month would move them, 6 do not.
    const before = await count(auditLogArchive)
    // The test clock ~4 months after the rows' (real) time: past 1 month, not past 6.
    ctx.t.clock.advance(Date.now() - ctx.t.clock.now().getTime() + 120 * DAY)
    expect((await archive.run()).archived).toBe(0)
    expect(await count(auditLogArchive)).toBe(before)
  })
})
