import { Type, type Static } from 'typebox'

const Bool = Type.Union([Type.Literal('true'), Type.Literal('false'), Type.Literal('1'), Type.Literal('0')], {
  description: 'must be true or false',
})

/**
 * Environment variables the server reads, validated once at start. Each `description` is the message a
 * wrong value gets, so it says what is expected, not what the variable is.
 */
export const EnvSchema = Type.Object({
  PORT: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'must be a port number between 1 and 65535' })),
  HOST: Type.Optional(Type.String({ minLength: 1, description: 'must be a host name or IP address to listen on' })),
  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: '^postgres(ql)?://.+',
      description: 'must be a PostgreSQL URL such as postgres://user@127.0.0.1:5432/mashangjian (unset it to use the embedded database)',
    }),
  ),
  DATA_DIR: Type.Optional(Type.String({ minLength: 1, description: 'must be a directory path' })),
  PUBLIC_BASE_URL: Type.Optional(
    Type.String({
      pattern: '^https?://[^/\\s]+(/[^\\s]*)?$',
      description: 'must be the http(s) URL residents reach this server at, e.g. https://msj.example.gov.cn',
    }),
  ),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32, description: 'must be at least 32 characters (leave unset to generate one)' })),
  PII_KEY: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9+/]{43}=$',
      description: 'must be 32 random bytes in base64 (leave unset to generate one)',
    }),
  ),
  LOG_LEVEL: Type.Optional(
    Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { description: 'must be one of fatal, error, warn, info, debug, trace, silent' },
    ),
  ),
  SEED_DEMO: Type.Optional(Bool),
  TRUST_PROXY: Type.Optional(Bool),
  ACCESS_TOKEN_TTL_SECONDS: Type.Optional(Type.Integer({ minimum: 60, maximum: 3600, description: 'must be 60–3600 seconds' })),
  REFRESH_TOKEN_TTL_DAYS: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, description: 'must be 1–90 days' })),
  LOGIN_RATE_LIMIT_PER_MINUTE: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'must be 1–10000' })),
  NOTIFY_WEBHOOK_URL: Type.Optional(Type.String({ pattern: '^https?://.+', description: 'must be an http(s) URL of the SMS gateway webhook' })),
  NOTIFY_WEBHOOK_SECRET: Type.Optional(Type.String({ minLength: 16, description: 'must be at least 16 characters (it signs the SMS gateway requests)' })),
  NOTIFY_DELIVERY: Type.Optional(Bool),
  SCAN_RATE_LIMIT_PER_MINUTE: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'must be 1–10000000' })),
  SUBMIT_RATE_LIMIT_PER_IP_PER_HOUR: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: 'must be 1–100000' })),
  SUBMIT_RATE_LIMIT_PER_CODE_PER_HOUR: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: 'must be 1–100000' })),
  SCAN_CACHE_SECONDS: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600, description: 'must be 0–3600 seconds (0 turns the cache off)' })),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://.+', description: 'must be a redis:// or rediss:// URL (shared rate limits)' })),
  REDIS_KEY_PREFIX: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9:_-]{1,40}$', description: 'must be 1–40 letters, digits, : _ or -' })),
  BODY_LIMIT_BYTES: Type.Optional(Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024, description: 'must be 1 KiB–64 MiB' })),
  // issue 19: monitoring — who may scrape /metrics (monitoring/scrape-access.ts).
  METRICS_TOKEN: Type.Optional(
    Type.String({ pattern: '^[!-~]{32,}$', description: 'must be at least 32 printable characters without spaces, e.g. from `openssl rand -hex 32`' }),
  ),
  METRICS_ALLOW: Type.Optional(Type.String({ minLength: 1, description: 'must be a comma-separated list of IP addresses or CIDR ranges' })),
  // Issue 19: MLPS level 2 keeps the audit log at least 6 months before rows may move to the archive table.
  AUDIT_ARCHIVE_AFTER_MONTHS: Type.Optional(Type.Integer({ minimum: 6, maximum: 1200, description: 'must be 6–1200 months (MLPS: at least 6)' })),
  // Backups (README "Backups"): the server writes one encrypted archive a day into BACKUP_DIR when it is set.
  BACKUP_DIR: Type.Optional(Type.String({ minLength: 1, description: 'must be a directory path for the daily backup archives' })),
  BACKUP_KEEP: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'must be how many daily archives to keep, 1–3650' })),
  BACKUP_TIME: Type.Optional(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'must be a Beijing time of day HH:MM, e.g. 03:30' })),
  BACKUP_PASSPHRASE: Type.Optional(Type.String({ minLength: 12, description: 'must be at least 12 characters' })),
  // issue 17: attachments in an S3-compatible store (MinIO in docker-compose) when the first four are set; s3-config.ts.
  S3_ENDPOINT: Type.Optional(
    Type.String({
      pattern: '^https?://[^/\\s?#]+/?$',
      description: 'must be the http(s) URL of the S3-compatible server, without a path, e.g. http://minio:9000',
    }),
  ),
  S3_BUCKET: Type.Optional(
    Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$', description: 'must be a bucket name: 3–63 lower-case letters, digits, dots or hyphens' }),
  ),
  S3_ACCESS_KEY: Type.Optional(Type.String({ minLength: 1, description: 'must be the access key of the S3-compatible store' })),
  S3_SECRET_KEY: Type.Optional(Type.String({ minLength: 1, description: 'must be the secret key of the S3-compatible store' })),
  S3_REGION: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,40}$', description: 'must be a region name such as us-east-1 (MinIO accepts any)' })),
  S3_PATH_STYLE: Type.Optional(Bool),
})
export type Env = Static<typeof EnvSchema>

/** Where attachment blobs live when not on the local disk (see attachments/s3-blob-store.ts). */
export interface S3Settings {
  endpoint: string
  bucket: string
  accessKey: string
  secretKey: string
  region: string
  /** http://host/bucket/key (MinIO, s3rver) rather than http://bucket.host/key. */
  pathStyle: boolean
}

export interface Secrets {
  jwtSecret: string
  /** 32-byte AES-256-GCM key for resident PII, base64. */
  piiKey: string
  /** VAPID key pair (P-256, base64url) that signs Web Push requests; browsers bind subscriptions to the public key. */
  vapidPublicKey: string
  vapidPrivateKey: string
}

export interface Config {
  port: number
  host: string
  databaseUrl: string | undefined
  dataDir: string
  publicBaseUrl: string
  logLevel: string
  seedDemo: boolean
  trustProxy: boolean
  accessTokenTtlSeconds: number
  refreshTokenTtlDays: number
  loginRateLimitPerMinute: number
  bodyLimitBytes: number
  /** SMS for committees without their own SMS account go to this gateway as signed JSON; unset → the log. */
  notifyWebhookUrl: string | undefined
  /** Signs the gateway's requests (X-Mashangjian-Signature) when set. */
  notifyWebhookSecret?: string | undefined
  /** False: this process writes notices but leaves delivering them to other processes. */
  notifyDelivery?: boolean
  scanRateLimitPerMinute: number
  /** How long a scan page's data is reused before it is read again. */
  scanCacheSeconds: number
  /** Audit rows older than this many months move to audit_log_archive (default 6, never fewer: MLPS). */
  auditArchiveAfterMonths?: number
  submitRateLimitPerIpPerHour: number
  submitRateLimitPerCodePerHour: number
  /** Rate limits are kept here when set, so several API processes count together; in memory otherwise. */
  redisUrl?: string | undefined
  /** Keys this deployment writes in Redis start with it (several deployments may share one Redis). */
  redisKeyPrefix?: string
  /** issue 19: /metrics admits a request carrying `Authorization: Bearer <this>`. */
  metricsToken?: string | undefined
  /** issue 19: /metrics admits direct (not proxied) requests from these addresses or CIDR ranges. */
  metricsAllow?: readonly string[] | undefined
  /** The daily backup (BACKUP_DIR set); absent: no daily backup. */
  backup?: { dir: string; keep: number; time: string; passphrase: string } | undefined
  /** Attachments go to this S3-compatible store when set; to DATA_DIR/attachments otherwise (issue 17). */
  s3?: S3Settings | undefined
  /** Where the built web app lives (served at /). */
  webDistDir: string
  secrets: Secrets
}
