import path from 'node:path'
import type { S3Settings } from '../config/config-schema'
import { diskBlobStore, type BlobStore } from './blob-store'

/**
 * The one place that picks the attachment store (issue 17): S3-compatible when S3_* is set, so every API process
 * serves every photo; DATA_DIR/attachments otherwise. The server, `npm run backup` and `npm run restore` all use it,
 * so a backup holds the photos the server actually stored.
 */
export function blobStoreFor({ s3, dataDir }: { s3?: S3Settings | undefined; dataDir: string }): BlobStore {
  return s3 ? lazyS3Store(s3) : diskBlobStore(path.join(dataDir, 'attachments'))
}

/**
 * The S3 store with its client library (~12 MB resident) loaded only when S3 is configured: a county server on the
 * local disk never pays for it. ready() runs before the port opens, so the first request finds it loaded.
 */
function lazyS3Store(settings: S3Settings): BlobStore {
  let store: Promise<BlobStore> | undefined
  const load = () => (store ??= import('./s3-blob-store').then((m) => m.s3BlobStore(settings)))
  return {
    ready: async () => (await load()).ready(),
    put: async (key, data) => (await load()).put(key, data),
    get: async (key) => (await load()).get(key),
    remove: async (key) => (await load()).remove(key),
    list: async function* () {
      yield* (await load()).list()
    },
  }
}
