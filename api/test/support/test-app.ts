import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import webpush from 'web-push'
import { buildApp } from '../../src/app'
import type { Config } from '../../src/config/config-schema'
import { ManualClock } from './manual-clock'
import { createTestDatabase, type TestDatabase } from './test-db'
import { blobStoreUnderTest, startFakeS3, type FakeS3 } from './fake-s3'

/** One VAPID pair per test file is enough: no test depends on two apps having different ones. */
const vapid = webpush.generateVAPIDKeys()

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: undefined,
    dataDir: mkdtempSync(path.join(tmpdir(), 'msj-app-')),
    publicBaseUrl: 'http://msj.test',
    logLevel: 'silent',
    seedDemo: false,
    trustProxy: false,
    accessTokenTtlSeconds: 900,
    refreshTokenTtlDays: 14,
    loginRateLimitPerMinute: 10_000,
    bodyLimitBytes: 1024 * 1024,
    webDistDir: '/nonexistent',
    notifyWebhookUrl: undefined,
    scanRateLimitPerMinute: 10_000,
    scanCacheSeconds: 0,
    submitRateLimitPerIpPerHour: 10_000,
    submitRateLimitPerCodePerHour: 10_000,
    secrets: {
      jwtSecret: randomBytes(32).toString('hex'),
      piiKey: randomBytes(32).toString('base64'),
      vapidPublicKey: vapid.publicKey,
      vapidPrivateKey: vapid.privateKey,
    },
    ...overrides,
  }
}

export interface TestApp {
  app: FastifyInstance
  database: TestDatabase
  clock: ManualClock
  config: Config
  /** The app's own S3 server when TEST_BLOB_STORE=s3 (issue 17); its blobs are on disk otherwise. */
  fakeS3?: FakeS3 | undefined
  close(): Promise<void>
}

/** The real app on a real database of this test file's own; inject() requests into it. */
export async function createTestApp(overrides: Partial<Config> = {}, database?: TestDatabase): Promise<TestApp> {
  const db = database ?? (await createTestDatabase())
  const clock = new ManualClock()
  const fakeS3 = !('s3' in overrides) && blobStoreUnderTest() === 's3' ? await startFakeS3() : undefined
  const config = testConfig(fakeS3 ? { s3: fakeS3.settings(), ...overrides } : overrides)
  const app = await buildApp({ config, database: db, clock })
  await app.ready()
  await app.services.blobs.ready()
  return {
    app,
    database: db,
    clock,
    config,
    fakeS3,
    close: async () => {
      await app.close()
      if (!database) await db.close()
      await fakeS3?.close()
    },
  }
}
