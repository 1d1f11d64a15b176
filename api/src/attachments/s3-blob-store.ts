import http from 'node:http'
import https from 'node:https'
import { Client } from 'minio'
import type { S3Settings } from '../config/config-schema'
import { StartupError } from '../config/startup-error'
import { SAFE_KEY, type BlobStore } from './blob-store'

/**
 * Attachment blobs in an S3-compatible store (MinIO in docker-compose; any S3 API), so every API process of a
 * deployment reads the photos any of them wrote (issue 17).
 *
 * Client: the `minio` package (8.x) rather than `@aws-sdk/client-s3` 3. We use five calls (put, get, remove,
 * list, bucket check/create); minio does them with one package and a handful of small dependencies, where the
 * AWS SDK brings some twenty `@aws-sdk/*` and `@smithy/*` packages — start-up time and resident memory are
 * budgets here (1 vCPU / 1–2 GB county servers) — and its releases from 2027 need Node 22 while CI still runs
 * Node 20. Both speak SigV4 and path-style, which is all MinIO and s3rver need.
 *
 * Reads are proxied through the API's existing authorised routes (case, activity and tracking photos, portraits,
 * department links), never handed out as presigned URLs: pages load photos same-origin under the CSP's
 * `img-src 'self'` with the reader already checked; the store need not be reachable from residents' phones (MinIO
 * in docker-compose is not); a URL signed anew on each view would defeat the `private, max-age=31536000,
 * immutable` caching the routes send (WeChat's browser re-downloading every photo), and would keep working for
 * whoever holds it until it expires — after a department link was revoked or a member left. Tracking photos are
 * downscaled by the API anyway.
 */
export function s3BlobStore(settings: S3Settings): BlobStore {
  const url = new URL(settings.endpoint)
  const useSSL = url.protocol === 'https:'
  // Keep-alive: every photo view is one GET to the store; a fresh TCP (and TLS) connection each time would double it.
  const agent = useSSL ? new https.Agent({ keepAlive: true, maxSockets: 32 }) : new http.Agent({ keepAlive: true, maxSockets: 32 })
  const client = new Client({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: settings.accessKey,
    secretKey: settings.secretKey,
    // Given, so the client never asks the store for the bucket's location before each first call.
    region: settings.region,
    pathStyle: settings.pathStyle,
    transportAgent: agent,
  })
  const bucket = settings.bucket
  const checked = (key: string) => {
    // Keys are made by us, never by clients; the same rule as on disk keeps both stores interchangeable.
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`unsafe blob key ${key}`)
    return key
  }
  const where = `S3 bucket "${bucket}" at ${settings.endpoint}`
  /**
   * A kept-alive connection the store closed while idle fails the next request sent on it (ECONNRESET, seen with
   * s3rver; MinIO and proxies close idle ones too). Every call here is idempotent (keys are never reused), so it
   * is sent once more, on a fresh connection.
   */
  const isReset = (err: unknown) => ['ECONNRESET', 'EPIPE'].includes((err as { code?: string }).code ?? '')
  const retried = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call()
    } catch (err) {
      if (!isReset(err)) throw err
      return call()
    }
  }

  return {
    /**
     * The bucket is made when missing: MinIO in docker-compose starts empty and nothing else would make it, and
     * making it is idempotent. A store that refuses (wrong keys, no CreateBucket permission, unreachable) stops
     * the start with the reason, before the port opens.
     */
    async ready() {
      try {
        if (await client.bucketExists(bucket)) return
        await client.makeBucket(bucket, settings.region).catch(async (err: unknown) => {
          // Another process of this deployment made it at the same moment.
          if (!(await client.bucketExists(bucket).catch(() => false))) throw err
        })
      } catch (err) {
        const e = err as { code?: string; message?: string }
        const hint =
          e.code === 'AccessDenied' || e.code === 'InvalidAccessKeyId' || e.code === 'SignatureDoesNotMatch'
            ? ' (check S3_ACCESS_KEY and S3_SECRET_KEY; create the bucket by hand if these keys may not)'
            : e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND'
              ? ' (check S3_ENDPOINT: nothing answers there)'
              : ''
        throw new StartupError(`${where} cannot be used: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}${hint}`)
      }
    },
    async put(key, data) {
      const type = key.endsWith('.jpg') ? 'image/jpeg' : 'application/octet-stream'
      await retried(() => client.putObject(bucket, checked(key), data, data.length, { 'Content-Type': type }))
    },
    /**
     * Whole objects into memory, as from disk: photos are re-encoded to ≤ 1600 px (a few hundred KB), and the
     * routes that serve them check the reader first and send them with the same headers whichever store holds them.
     */
    async get(key) {
      return retried(async () => {
        let stream
        try {
          stream = await client.getObject(bucket, checked(key))
        } catch (err) {
          const code = (err as { code?: string }).code
          if (code === 'NoSuchKey' || code === 'NotFound') return undefined
          throw err
        }
        const chunks: Buffer[] = []
        for await (const chunk of stream) chunks.push(chunk as Buffer)
        return Buffer.concat(chunks)
      })
    },
    async remove(key) {
      // S3 answers 204 for a key that is not there, like rm --force.
      await retried(() => client.removeObject(bucket, checked(key)))
    },
    async *list() {
      // Sent once more like the calls above when the first page fails on a closed connection before any key came.
      for (let attempt = 0, yielded = 0; ; attempt++) {
        try {
          for await (const item of client.listObjectsV2(bucket, '', true)) {
            const { name, lastModified } = item as { name?: string; lastModified?: Date }
            if (!name || !lastModified || !SAFE_KEY.test(name)) continue
            yielded++
            yield { key: name, writtenAt: lastModified }
          }
          return
        } catch (err) {
          if (attempt > 0 || yielded > 0 || !isReset(err)) throw err
        }
      }
    },
  }
}
