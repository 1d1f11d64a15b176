import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The checkout's root folder (the one holding `migrations/` and the root package.json), found by walking up from
 * this module. The same code runs from the sources (api/src/config/repo-root.ts, under tsx or vitest) and from the
 * compiled bundle (api/dist/server.js, where import.meta.url is the bundle's), so no fixed number of `../` fits
 * both. Every runtime path (migrations, fonts, web/dist, the default data folder) hangs off this one answer.
 */
export function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'migrations', 'meta')) && existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) throw new Error(`No checkout (a folder with migrations/ and package.json) above ${from}`)
  }
}

export const REPO_ROOT = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)))
