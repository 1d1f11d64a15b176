import type { Env, S3Settings } from './config-schema'
import { StartupError } from './startup-error'

const REQUIRED = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const
const ALL = [...REQUIRED, 'S3_REGION', 'S3_PATH_STYLE'] as const

/**
 * The S3 settings, or undefined for the disk store. All or nothing: a deployment that sets some S3_* variables
 * meant S3, and silently writing residents' photos to one node's disk instead is what issue 17 was about.
 */
export function s3Settings(env: Env): S3Settings | undefined {
  const set = ALL.filter((k) => env[k] !== undefined)
  if (set.length === 0) return undefined
  const missing = REQUIRED.filter((k) => env[k] === undefined)
  if (missing.length > 0) {
    throw new StartupError(
      `Incomplete S3 configuration: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set (found ${set.join(', ')}). ` +
        `Set all of ${REQUIRED.join(', ')} to keep attachments in an S3-compatible store, or none to keep them in DATA_DIR/attachments.`,
    )
  }
  return {
    endpoint: env.S3_ENDPOINT!.replace(/\/+$/, ''),
    bucket: env.S3_BUCKET!,
    accessKey: env.S3_ACCESS_KEY!,
    secretKey: env.S3_SECRET_KEY!,
    region: env.S3_REGION ?? 'us-east-1',
    // MinIO and most self-hosted stores answer path-style only; virtual-hosted needs a DNS name per bucket.
    pathStyle: env.S3_PATH_STYLE === undefined ? true : env.S3_PATH_STYLE === 'true' || env.S3_PATH_STYLE === '1',
  }
}
