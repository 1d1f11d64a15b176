import { parseArgs } from 'node:util'
import { loadConfig } from '../config/load-config'
import { StartupError } from '../config/startup-error'
import { openDatabase } from '../db/database'
import { migrate } from '../db/migrate'
import { createPiiCipher } from '../privacy/pii-cipher'
import { systemClock } from '../clock'
import { isEmpty, seedDemo, truncateAll } from './seed-demo'
import { formatDemoBanner, readDemoSummary } from './demo-summary'

/** `npm run seed` seeds an empty database; `npm run seed -- --reset` empties every table first. */
async function main() {
  const { values } = parseArgs({ options: { reset: { type: 'boolean', default: false } } })
  const config = loadConfig()
  const database = await openDatabase(config)
  try {
    await migrate(database)
    if (!values.reset && !(await isEmpty(database.db))) {
      console.log('The database already has data; run `npm run seed -- --reset` to replace it with the demo county.')
      return
    }
    if (values.reset) await truncateAll(database.db)
    const n = await seedDemo(database.db, { cipher: createPiiCipher(config.secrets.piiKey), clock: systemClock })
    console.log(`Seeded the demo county with ${n} cases.`)
    const summary = await readDemoSummary(database.db)
    if (summary) console.log(formatDemoBanner(summary, config.publicBaseUrl))
  } finally {
    await database.close()
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof StartupError ? `mashangjian seed: ${err.message}` : err)
  process.exit(1)
})
