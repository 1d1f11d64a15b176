import { spawn } from 'node:child_process'
import path from 'node:path'
import { REPO_ROOT } from '../../src/config/load-config'

/** Runs one of our command-line scripts (`api/src/...`) as `npm run` would: a real process with only the given environment. */
export function runCli(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(REPO_ROOT, script), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let [out, err] = ['', '']
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out: out.trim(), err: err.trim() })))
}
