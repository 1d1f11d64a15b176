import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Compile } from 'typebox/compile'
import { Value } from 'typebox/value'
import { EnvSchema, type Config, type Env } from './config-schema'
import { loadOrCreateSecrets } from './secrets'
import { s3Settings } from './s3-config'
import { StartupError } from './startup-error'

export { StartupError }

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

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
    submitRateLimitPerIpPerHour: env.SUBMIT_RATE_LIMIT_PER_IP_PER_HOUR ?? 30,
    submitRateLimitPerCodePerHour: env.SUBMIT_RATE_LIMIT_PER_CODE_PER_HOUR ?? 120,
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.REDIS_KEY_PREFIX ?? 'msj:',
    s3: s3Settings(env),
    webDistDir: path.join(REPO_ROOT, 'web', 'dist'),
    secrets: loadOrCreateSecrets(dataDir, { jwtSecret: env.JWT_SECRET, piiKey: env.PII_KEY }),
  }
}
