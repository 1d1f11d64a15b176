import { loadConfig } from '../config/load-config'
import { StartupError } from '../config/startup-error'
import { openDatabase } from '../db/database'
import { migrate } from '../db/migrate'
import { createAuditLog, type AuditVerifyResult } from './audit-log'

const REASONS: Record<NonNullable<AuditVerifyResult['firstBroken']>['reason'], string> = {
  hash: 'its content does not match its hash (edited)',
  prev_hash: "its prev_hash is not the previous row's hash (chain relinked)",
  gap: 'the rows before it are missing (deleted)',
}

function formatVerifyResult(r: AuditVerifyResult): string {
  const counts = `${r.sealed} rows chained${r.archived ? ` (${r.archived} of them archived)` : ''}, ${r.unsealed} waiting`
  if (r.ok || !r.firstBroken) return `audit log OK: ${counts}`
  const { seq, id, reason } = r.firstBroken
  return `audit log BROKEN at seq ${seq} (id ${id}): ${REASONS[reason]}; ${counts}`
}

/**
 * `npm run audit:verify`: chains whatever is waiting, then checks the whole chain. Exit 0 when intact, 1 when
 * not (or on a startup error), so a cron job or CI step can alert on it.
 */
async function main(): Promise<number> {
  const config = loadConfig()
  const database = await openDatabase(config)
  try {
    // A fresh embedded database has no tables yet; on a migrated one this is a no-op.
    await migrate(database)
    const audit = createAuditLog(database.db)
    // Rows of transactions still running are chained once those end; a verify waits a little for them.
    await audit.sealAll({ waitMs: 10_000 })
    const result = await audit.verify()
    if (result.ok) console.log(formatVerifyResult(result))
    else console.error(formatVerifyResult(result))
    return result.ok ? 0 : 1
  } finally {
    await database.close()
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof StartupError ? `mashangjian audit:verify: ${err.message}` : err)
    process.exit(1)
  },
)
