import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { Compile } from 'typebox/compile'
import { Value } from 'typebox/value'
import { EnvSchema, type Config, type Env } from './config-schema'
import { loadOrCreateSecrets } from './secrets'
import { s3Settings } from './s3-config'
import { StartupError } from './startup-error'
import { allowListProblem, splitAllowList } from '../monitoring/scrape-access'
import { REPO_ROOT } from './repo-root'

export { StartupError, REPO_ROOT }

const envCheck = Compile(EnvSchema)
const bool = (v: string | undefined, fallback: boolean) => (v === undefined ? fallback : v === 'true' || v === '1')

/** Reads the environment once. Empty strings count as unset, so `PORT= npm start` means the default. */
export function parseEnv(raw: NodeJS.ProcessEnv): Env {
  const keys = Object.keys(EnvSchema.properties) as (keyof Env)[]
  const picked: Record<string, string> = {}
  for (const key of keys) {
    const value = raw[key]?.trim()
    if (value) picked[key] = value
  }
  const converted = Value.Convert(EnvSchema, picked) as Env
  if (envCheck.Check(converted)) return converted
  const problems = new Map<string, string>()
  for (const error of envCheck.Errors(converted)) {
    const key = error.instancePath.replace(/^\//, '').split('/')[0] as keyof Env
    if (!key || problems.has(key)) continue
    const description = (EnvSchema.properties[key] as { description?: string }).description ?? error.message
    problems.set(key, `${key} ${description} (got ${JSON.stringify(picked[key])})`)
  }
  throw new StartupError(`Invalid configuration: ${[...problems.values()].join('; ')}`)
}

export function loadConfig(raw: NodeJS.ProcessEnv = process.env): Config {
  const env = parseEnv(raw)
  const port = env.PORT ?? 3000
  const dataDir = path.resolve(REPO_ROOT, env.DATA_DIR ?? 'data')
  try {
    mkdirSync(dataDir, { recursive: true })
  } catch (err) {
    throw new StartupError(`DATA_DIR ${dataDir} cannot be created: ${(err as Error).message}`)
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL,
    dataDir,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    logLevel: env.LOG_LEVEL ?? 'info',
    seedDemo: bool(env.SEED_DEMO, true),
    trustProxy: bool(env.TRUST_PROXY, false),
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS ?? 15 * 60,
    refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS ?? 14,
    loginRateLimitPerMinute: env.LOGIN_RATE_LIMIT_PER_MINUTE ?? 20,
    bodyLimitBytes: env.BODY_LIMIT_BYTES ?? 1024 * 1024,
    notifyWebhookUrl: env.NOTIFY_WEBHOOK_URL,
    notifyWebhookSecret: env.NOTIFY_WEBHOOK_SECRET,
    notifyDelivery: bool(env.NOTIFY_DELIVERY, true),
    // Residents behind one carrier NAT share an address: per-IP limits stay generous, per-code ones catch floods.
    scanRateLimitPerMinute: env.SCAN_RATE_LIMIT_PER_MINUTE ?? 120,
    scanCacheSeconds: env.SCAN_CACHE_SECONDS ?? 30,
    auditArchiveAfterMonths: env.AUDIT_ARCHIVE_AFTER_MONTHS ?? 6,
    submitRateLimitPerIpPerHour: env.SUBMIT_RATE_LIMIT_PER_IP_PER_HOUR ?? 30,
    submitRateLimitPerCodePerHour: env.SUBMIT_RATE_LIMIT_PER_CODE_PER_HOUR ?? 120,
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.REDIS_KEY_PREFIX ?? 'msj:',
    metricsToken: env.METRICS_TOKEN,
    metricsAllow: metricsAllow(env.METRICS_ALLOW),
    backup: backupSettings(env),
    s3: s3Settings(env),
    webDistDir: path.join(REPO_ROOT, 'web', 'dist'),
    secrets: loadOrCreateSecrets(dataDir, { jwtSecret: env.JWT_SECRET, piiKey: env.PII_KEY }),
  }
}

/** issue 19: METRICS_ALLOW, checked entry by entry so a typo is named at start rather than refusing every scrape. */
function metricsAllow(raw: string | undefined): readonly string[] | undefined {
  if (raw === undefined) return undefined
  const entries = splitAllowList(raw)
  const problem = allowListProblem(entries)
  if (problem) throw new StartupError(`Invalid configuration: METRICS_ALLOW ${problem} (got ${JSON.stringify(raw)})`)
  return entries
}

/** BACKUP_DIR turns the daily backup on; an archive is always encrypted, so it needs BACKUP_PASSPHRASE too. */
function backupSettings(env: Env): Config['backup'] {
  if (!env.BACKUP_DIR) return undefined
  if (!env.BACKUP_PASSPHRASE)
    throw new StartupError('BACKUP_DIR is set but BACKUP_PASSPHRASE is not: daily backups are encrypted with it (at least 12 characters)')
  return { dir: path.resolve(REPO_ROOT, env.BACKUP_DIR), keep: env.BACKUP_KEEP ?? 7, time: env.BACKUP_TIME ?? '03:30', passphrase: env.BACKUP_PASSPHRASE }
}
