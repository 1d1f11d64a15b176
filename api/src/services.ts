import path from 'node:path'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from './config/config-schema'
import type { Database } from './db/database'
import type { Clock } from './clock'
import { createPiiCipher } from './privacy/pii-cipher'
import { diskBlobStore } from './attachments/blob-store'
import { consoleNotifier, webhookNotifier } from './notify/resident-notifier'
import { createOrgRepo } from './org/org-repo'
import { createOrgService } from './org/org-service'
import { createUsersRepo } from './users/users-repo'
import { createUsersService } from './users/users-service'
import { createQrRepo } from './qr/qr-repo'
import { createQrService } from './qr/qr-service'
import { createCasesRepo } from './cases/cases-repo'
import { createScanService } from './public/scan-service'
import { createPublicCasesService } from './public/public-cases-service'
import { createTrackingService } from './public/tracking-service'

/** Every domain service, wired once from config, database and clock; routes receive the ones they call. */
export function createServices({ config, database, clock, log }: { config: Config; database: Database; clock: Clock; log: FastifyBaseLogger }) {
  const db = database.db
  const qrRepo = createQrRepo(db)
  const casesRepo = createCasesRepo(db)
  const blobs = diskBlobStore(path.join(config.dataDir, 'attachments'))
  const scan = createScanService({ db, repo: qrRepo, clock, cacheSeconds: config.scanCacheSeconds })
  return {
    blobs,
    org: createOrgService({ repo: createOrgRepo(db) }),
    users: createUsersService({ repo: createUsersRepo(db) }),
    qr: createQrService({ repo: qrRepo, clock, publicBaseUrl: config.publicBaseUrl, onChange: (code) => scan.forget(code) }),
    scan,
    submissions: createPublicCasesService({
      db, cases: casesRepo, qr: qrRepo, cipher: createPiiCipher(config.secrets.piiKey), blobs, clock,
      notifier: config.notifyWebhookUrl ? webhookNotifier(config.notifyWebhookUrl, log) : consoleNotifier(log),
      publicBaseUrl: config.publicBaseUrl,
    }),
    tracking: createTrackingService({ db, repo: casesRepo, clock }),
  }
}
export type Services = ReturnType<typeof createServices>
