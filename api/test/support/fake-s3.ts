import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import S3rver from 's3rver'
import type { S3Settings } from '../../src/config/config-schema'

/** s3rver's built-in account: it refuses other access keys (InvalidAccessKeyId), though it does not verify SigV4 signatures. */
const KEY = 'S3RVER'

export interface FakeS3 {
  endpoint: string
  /** Settings for a bucket on this server; a fresh random bucket name unless one is given (the app makes it). */
  settings(bucket?: string): S3Settings
  /** Sets an object's Last-Modified (s3rver takes it from its file's mtime): how the orphan-sweep tests make blobs old. */
  age(bucket: string, key: string, at: Date): void
  close(): Promise<void>
}

/** An S3-compatible server (s3rver) on 127.0.0.1 inside the test process, on a port of its own, files in a temp folder. */
export async function startFakeS3(): Promise<FakeS3> {
  const dir = mkdtempSync(path.join(tmpdir(), 'msj-s3-'))
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir })
  const { port } = (await server.run()) as { port: number }
  const endpoint = `http://127.0.0.1:${port}`
  return {
    endpoint,
    settings: (bucket = `msj-${randomBytes(6).toString('hex')}`) => ({
      endpoint,
      bucket,
      accessKey: KEY,
      secretKey: KEY,
      region: 'us-east-1',
      pathStyle: true,
    }),
    age(bucket, key, at) {
      const parts = key.split('/')
      const file = path.join(dir, bucket, ...parts.slice(0, -1), `${parts.at(-1)}._S3rver_object`)
      utimesSync(file, at, at)
    },
    async close() {
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** `TEST_BLOB_STORE=s3 npx vitest run …` runs the attachment tests with every test app on its own fake S3 server. */
export const blobStoreUnderTest = (): 'disk' | 's3' => (process.env.TEST_BLOB_STORE === 's3' ? 's3' : 'disk')
