/**
 * `npm run bench:web`: the member app's budgets (issue 6). Builds web/, sums the gzip size of the JS the inbox
 * route loads first (entry chunk and its static imports, from Vite's manifest), serves the build from the real
 * API (PGlite, demo data) and runs Lighthouse (mobile emulation, simulated slow 4G) with Debian's chromium on the
 * login page and on the signed-in inbox, three times each (medians). Writes its section of docs/BENCHMARKS.md.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import type { AddressInfo } from 'node:net'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { chromium } from 'playwright-core'
import { buildApp } from '../api/src/app'
import { loadConfig } from '../api/src/config/load-config'
import { openPgliteDir } from '../api/src/db/database'
import { migrate } from '../api/src/db/migrate'
import { createPiiCipher } from '../api/src/privacy/pii-cipher'
import { seedDemo } from '../api/src/seed/seed-demo'
import { systemClock } from '../api/src/clock'
import { writeSection } from './benchmarks-doc'
import { ROOT } from './processes'

const CHROME = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
const RUNS = 3
const DIST = path.join(ROOT, 'web', 'dist')
const BUDGET_KB = 40

interface ManifestChunk {
  file: string
  imports?: string[]
  css?: string[]
  isEntry?: boolean
}

function initialJs(): { files: { file: string; gzip: number; raw: number }[]; css: number } {
  const manifest = JSON.parse(readFileSync(path.join(DIST, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>
  const entry = Object.entries(manifest).find(([, c]) => c.isEntry)!
  const seen = new Set<string>()
  const walk = (key: string) => {
    if (seen.has(key)) return
    seen.add(key)
    for (const k of manifest[key]!.imports ?? []) walk(k)
  }
  walk(entry[0])
  const size = (file: string) => {
    const bytes = readFileSync(path.join(DIST, file))
    return { file, raw: bytes.length, gzip: gzipSync(bytes).length }
  }
  const css = (entry[1].css ?? []).reduce((n, f) => n + size(f).gzip, 0)
  return { files: [...seen].map((k) => size(manifest[k]!.file)), css }
}

async function lighthouseRun(url: string, userDataDir: string) {
  const chrome = await chromeLauncher.launch({ chromePath: CHROME, chromeFlags: FLAGS, userDataDir })
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices'],
      // The signed-in run needs the session the profile holds in IndexedDB.
      disableStorageReset: true,
    })
    const lhr = result!.lhr
    const score = (k: string) => Math.round((lhr.categories[k]?.score ?? 0) * 100)
    const metric = (k: string) => lhr.audits[k]?.numericValue ?? NaN
    const failedA11y = Object.values(lhr.audits)
      .filter((a) => a.score === 0 && lhr.categories.accessibility?.auditRefs.some((r) => r.id === a.id))
      .map((a) => a.id)
    return {
      error: lhr.runtimeError?.code ?? null,
      performance: score('performance'),
      accessibility: score('accessibility'),
      bestPractices: score('best-practices'),
      fcp: metric('first-contentful-paint'),
      lcp: metric('largest-contentful-paint'),
      tbt: metric('total-blocking-time'),
      cls: metric('cumulative-layout-shift'),
      failedA11y,
      finalUrl: lhr.finalDisplayedUrl,
    }
  } finally {
    chrome.kill()
  }
}
type LhRun = Awaited<ReturnType<typeof lighthouseRun>>
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function main() {
  console.log('building web/ …')
  execFileSync('npm', ['run', 'build', '--workspace', 'web'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
  const js = initialJs()
  const jsGzip = js.files.reduce((n, f) => n + f.gzip, 0)

  const dataDir = mkdtempSync(path.join(tmpdir(), 'msj-bench-web-'))
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }
  delete env.DATABASE_URL
  const config = { ...loadConfig(env), webDistDir: DIST }
  const database = await openPgliteDir(dataDir)
  await migrate(database)
  await seedDemo(database.db, { cipher: createPiiCipher(config.secrets.piiKey), clock: systemClock })
  const app = await buildApp({ config, database })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

  const profiles: string[] = []
  const runs: { page: string; runs: LhRun[] }[] = []
  try {
    // Login page: a new phone (empty profile).
    const login: LhRun[] = []
    for (let i = 0; i < RUNS; i++) {
      const dir = mkdtempSync(path.join(tmpdir(), 'msj-lh-'))
      profiles.push(dir)
      login.push(await lighthouseRun(`${base}/app/`, dir))
    }
    runs.push({ page: 'login (/app/, new phone)', runs: login })
    // Inbox: a phone where the member signed in before (session and cases in IndexedDB, service worker installed).
    const inbox: LhRun[] = []
    for (let i = 0; i < RUNS; i++) {
      const dir = mkdtempSync(path.join(tmpdir(), 'msj-lh-'))
      profiles.push(dir)
      const ctx = await chromium.launchPersistentContext(dir, { executablePath: CHROME, args: ['--no-sandbox', '--disable-gpu'], headless: true })
      const page = await ctx.newPage()
      await page.goto(`${base}/app/`)
      await page.fill('#username', 'wangjianguo')
      await page.fill('#password', 'demo12345')
      await page.click('button[type=submit]')
      await page.waitForSelector('[data-testid=case-row]')
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
      await ctx.close()
      inbox.push(await lighthouseRun(`${base}/app/`, dir))
    }
    runs.push({ page: 'inbox (/app/, signed in)', runs: inbox })
  } finally {
    await app.close()
    await database.close()
    for (const d of [dataDir, ...profiles]) rmSync(d, { recursive: true, force: true })
  }

  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
  const ms = (n: number) => `${Math.round(n)} ms`
  const lines = [
    '## Member app (issue 6): `npm run bench:web`',
    '',
    `Last run: ${new Date().toISOString().slice(0, 10)}, Lighthouse 12 (mobile emulation, simulated slow 4G, 4× CPU slowdown) with Debian chromium, ${RUNS} runs per page, medians.`,
    '',
    `### Initial JS of the inbox route: **${kb(jsGzip)} gzip** (budget ${BUDGET_KB} KB)`,
    '',
    'The inbox and login are in the entry chunk; the case page, profile and action sheets load on first use (and are precached by the service worker).',
    '',
    '| chunk | raw | gzip |',
    '|---|---|---|',
    ...js.files.map((f) => `| ${f.file} | ${kb(f.raw)} | ${kb(f.gzip)} |`),
    `| CSS (entry) | | ${kb(js.css)} |`,
    '',
    '### Lighthouse',
    '',
    '| page | performance | accessibility | best practices | FCP | LCP | TBT | CLS | runs (perf / a11y) |',
    '|---|---|---|---|---|---|---|---|---|',
    // A run Lighthouse itself could not finish (runtimeError, e.g. NO_FCP on a busy machine) is listed, not counted.
    ...runs.map(({ page, runs: all }) => {
      const r = all.filter((x) => !x.error)
      return `| ${page} | **${median(r.map((x) => x.performance))}** | **${median(r.map((x) => x.accessibility))}** | ${median(r.map((x) => x.bestPractices))} | ${ms(median(r.map((x) => x.fcp)))} | ${ms(median(r.map((x) => x.lcp)))} | ${ms(median(r.map((x) => x.tbt)))} | ${median(r.map((x) => x.cls)).toFixed(3)} | ${all.map((x) => (x.error ? `error ${x.error}` : `${x.performance}/${x.accessibility}`)).join(', ')} |`
    }),
    '',
    'Goals: performance ≥ 90, accessibility ≥ 95.',
    ...runs.flatMap(({ page, runs: r }) => {
      const failed = [...new Set(r.flatMap((x) => x.failedA11y))]
      return failed.length ? [`- ${page}: failed accessibility audits: ${failed.join(', ')}`] : []
    }),
    '- Installability (Lighthouse 12 has no PWA category): the manifest has name, short_name, start_url and scope /app/, display standalone, 192 and 512 px icons and a maskable one; the service worker controls /app/ (browser test 1 checks it).',
  ]
  writeSection('member-app', lines.join('\n'))
  console.log(lines.join('\n'))
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
