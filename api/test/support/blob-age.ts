import { utimesSync } from 'node:fs'
import path from 'node:path'
import type { TestApp } from './test-app'

/** Backdates a stored blob to `at` (the orphan sweep goes by when a blob was written), on disk or on the fake S3. */
export function ageBlob(t: TestApp, key: string, at: Date): void {
  if (t.config.s3) {
    if (!t.fakeS3) throw new Error('ageBlob: this app uses an S3 store the test did not start')
    t.fakeS3.age(t.config.s3.bucket, key, at)
  } else {
    utimesSync(path.join(t.config.dataDir, 'attachments', key), at, at)
  }
}

/** Whether the app's store holds `key` (through the store, so it means the same on disk and on S3). */
export const hasBlob = async (t: TestApp, key: string) => (await t.app.services.blobs.get(key)) !== undefined
