import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig, parseEnv } from '../src/config/load-config'
import { StartupError } from '../src/config/startup-error'

describe('configuration', () => {
  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT must be a port number between 1 and 65535 \(got "abc"\)$/],
    [{ PORT: '70000' }, /PORT must be a port number/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a PostgreSQL URL/],
    [{ PUBLIC_BASE_URL: 'msj.example.cn' }, /PUBLIC_BASE_URL must be the http\(s\) URL/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32 characters/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ SEED_DEMO: 'maybe' }, /SEED_DEMO must be true or false/],
  ])('rejects %o with one clear line', (env, message) => {
    let error: unknown
    try {
      parseEnv(env)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(StartupError)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).not.toContain('\n')
  })

  it('names every bad variable at once', () => {
    expect(() => parseEnv({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT .*; LOG_LEVEL /)
  })

  it('treats empty values as unset and applies defaults', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'msj-cfg-'))
    const config = loadConfig({ PORT: '', DATA_DIR: dataDir })
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, publicBaseUrl: 'http://localhost:3000', accessTokenTtlSeconds: 900, seedDemo: true })
  })

  it('generates missing secrets once, stores them 0600 under DATA_DIR, and keeps them across starts', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'msj-cfg-'))
    const first = loadConfig({ DATA_DIR: dataDir })
    const file = path.join(dataDir, 'secrets.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(Buffer.from(first.secrets.piiKey, 'base64')).toHaveLength(32)
    expect(first.secrets.jwtSecret.length).toBeGreaterThanOrEqual(32)
    expect(loadConfig({ DATA_DIR: dataDir }).secrets).toEqual(first.secrets)
    expect(JSON.parse(readFileSync(file, 'utf8')).jwtSecret).toBe(first.secrets.jwtSecret)
  })

  it('lets the environment override stored secrets', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'msj-cfg-'))
    const jwtSecret = 'e'.repeat(40)
    expect(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: jwtSecret }).secrets.jwtSecret).toBe(jwtSecret)
  })
})
