import path from 'node:path'
import type { S3Settings } from '../config/config-schema'
import { diskBlobStore, type BlobStore } from './blob-store'
import { s3BlobStore } from './s3-blob-store'

/**
 * The one place that picks the attachment store (issue 17): S3-compatible when S3_* is set, so every API process
 * serves every photo; DATA_DIR/attachments otherwise. The server, `npm run backup` and `npm run restore` all use it,
 * so a backup holds the photos the server actually stored.
 */
export function blobStoreFor({ s3, dataDir }: { s3?: S3Settings | undefined; dataDir: string }): BlobStore {
  return s3 ? s3BlobStore(s3) : diskBlobStore(path.join(dataDir, 'attachments'))
}
