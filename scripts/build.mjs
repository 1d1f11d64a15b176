#!/usr/bin/env node
// @ts-check
/**
 * Builds what `npm start` runs, and only what changed (issue 17):
 * - `api`: the server as JavaScript, api/dist/server.js (plus the seed and audit-verify CLIs), one esbuild bundle of
 *   api/src and the shared/ sources it imports, with every npm package left external (loaded from node_modules as
 *   usual, native addons and data files included). A bundle rather than `tsc` to a dist folder: the sources import
 *   without file extensions (TypeScript "Bundler" resolution) and `@mashangjian/shared` points at .ts files, neither
 *   of which Node can load once compiled file by file; esbuild resolves both and takes ~1 s.
 * - `web`: the member app (vite + the service worker) into web/dist.
 * Each target's inputs (its source files, package.json files, the lock file, this script) are hashed into a stamp
 * kept in the output folder; a later run with the same hash does nothing, so a restart with no change starts at once.
 *
 * Usage: node scripts/build.mjs [api] [web] [--force]   (no target: both)
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const STAMP = '.build-stamp'
const COMMON = ['shared/src', 'shared/package.json', 'package.json', 'package-lock.json', 'tsconfig.base.json', 'scripts/build.mjs']

/** @type {Record<string, { label: string, out: string, inputs: string[], env: string[], build: (out: string) => Promise<void> }>} */
const TARGETS = {
  api: { label: 'API server', out: 'api/dist', inputs: ['api/src', 'api/package.json', 'api/tsconfig.json', ...COMMON], env: [], build: buildApi },
  web: {
    label: 'web app',
    out: 'web/dist',
    inputs: ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'web/package.json', 'web/tsconfig.json', ...COMMON],
    // vite.config.ts reads it: a build marked with another id is another build.
    env: ['MSJ_BUILD_ID'],
    build: buildWeb,
  },
}

/** Every file under `rel` (a file or a folder), sorted, as paths relative to the root. */
function files(rel) {
  const abs = path.join(ROOT, rel)
  if (!existsSync(abs)) return []
  if (!statSync(abs).isDirectory()) return [rel]
  return readdirSync(abs, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? files(path.join(rel, e.name)) : e.isFile() ? [path.join(rel, e.name)] : []))
}

/** The inputs' fingerprint: names and contents (not mtimes, which a checkout or a copy changes without a change). */
function fingerprint(target) {
  const hash = createHash('sha256')
  for (const name of target.env) hash.update(`env ${name}=${process.env[name] ?? ''}\0`)
  for (const rel of target.inputs.flatMap(files)) {
    hash.update(`${rel}\0`)
    hash.update(readFileSync(path.join(ROOT, rel)))
    hash.update('\0')
  }
  return hash.digest('hex')
}

/** Bare imports stay external, except the workspace's own packages (TypeScript sources, bundled in). */
const externalPackages = {
  name: 'external-packages',
  /** @param {import('esbuild').PluginBuild} build */
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@mashangjian/')) return undefined
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0]
      if (args.path.startsWith('node:') || builtinModules.includes(name)) return { external: true }
      // api/dist imports it at run time from api/node_modules or the root node_modules: say so now if it is in neither.
      const reachable = ['api/node_modules', 'node_modules'].some((dir) => existsSync(path.join(ROOT, dir, name, 'package.json')))
      if (!reachable) return { errors: [{ text: `${name} (imported by ${path.relative(ROOT, args.importer)}) is not installed where api/dist can load it` }] }
      return { external: true }
    })
  },
}

async function buildApi(out) {
  const esbuild = await import('esbuild')
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: {
      server: 'api/src/server.ts',
      'seed-cli': 'api/src/seed/seed-cli.ts',
      'audit-verify-cli': 'api/src/audit/audit-verify-cli.ts',
      'backup-cli': 'api/src/backup/backup-cli.ts',
      'restore-cli': 'api/src/backup/restore-cli.ts',
    },
    outdir: out,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    tsconfig: 'api/tsconfig.json',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    // Not minified: stack traces in the logs stay readable. keepNames: bundling renames clashing identifiers, and
    // error handling and logs read class names (err.name, constructor.name).
    keepNames: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [externalPackages],
  })
}

async function buildWeb(out) {
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js')
  if (!existsSync(vite)) throw new Error('vite is not installed (run `npm install`, with dev dependencies)')
  const run = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: path.join(ROOT, 'web'),
    stdio: 'inherit',
    // Always a production build (a NODE_ENV=test inherited from a test runner would drop the service worker's registration).
    env: { ...process.env, NODE_ENV: 'production', MSJ_WEB_OUT_DIR: out },
  })
  if (run.status !== 0) throw new Error(`vite build exited ${run.status ?? run.signal}`)
}

async function main() {
  const args = process.argv.slice(2)
  const force = args.includes('--force')
  const names = args.filter((a) => !a.startsWith('--'))
  for (const name of names) if (!TARGETS[name]) throw new Error(`unknown build target ${name} (api, web)`)
  for (const name of names.length ? names : Object.keys(TARGETS)) {
    const target = TARGETS[name]
    const out = path.join(ROOT, target.out)
    const stampFile = path.join(out, STAMP)
    const hash = fingerprint(target)
    if (!force && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === hash) {
      console.log(`${target.label}: up to date (${target.out})`)
      continue
    }
    const began = Date.now()
    console.log(`${target.label}: building ${target.out} …`)
    // Into a scratch folder first, swapped in when complete: a failed or interrupted build leaves the last good one.
    const scratch = `${out}.building-${process.pid}`
    rmSync(scratch, { recursive: true, force: true })
    try {
      await target.build(scratch)
      writeFileSync(path.join(scratch, STAMP), `${hash}\n`)
      rmSync(out, { recursive: true, force: true })
      renameSync(scratch, out)
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
    console.log(`${target.label}: built in ${((Date.now() - began) / 1000).toFixed(1)} s`)
  }
}

main().catch((err) => {
  console.error(`build failed: ${err instanceof Error ? err.message : err}`)
  process.exit(1)
})
