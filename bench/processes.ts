import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, loadavg } from 'node:os'
import path from 'node:path'

/** Child processes and ports for the benchmarks: the API under test runs as its own process, as in production. */
export const ROOT = path.resolve(import.meta.dirname, '..')
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx')

/** Starts `tsx args…` and resolves once its output matches `ready` (e.g. the port it listens on). */
export function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return startCommand(TSX, args, env, ready)
}

/** Builds what changed since the last build (scripts/build.mjs), as `npm start`'s prestart does. */
export function buildCompiled() {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' })
}

/**
 * node's arguments for the API as `npm start` and the image run it: the flags and the bundle of package.json's
 * start script ("node <flags…> api/dist/server.js"), so the benches measure what is deployed. Refuses anything
 * else (a wrapper, shell syntax) rather than guess.
 */
export function serverNodeArgs(): string[] {
  const script = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.trim()
  const tokens = script.split(/\s+/)
  if (tokens[0] !== 'node' || /[;&|<>$`'"]/.test(script) || !tokens.at(-1)!.endsWith('.js')) {
    throw new Error(`package.json's start script is not "node <flags> <file>.js": ${script}`)
  }
  return tokens.slice(1)
}

/** Starts the compiled API (built beforehand: buildCompiled) with `npm start`'s node flags. */
export function startCompiled(env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return startCommand(process.execPath, serverNodeArgs(), env, ready)
}

function startCommand(command: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const onData = (d: Buffer) => {
      out += d.toString()
      const match = out.match(ready)
      if (match) resolve({ child, match })
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${out}`)))
    setTimeout(() => {
      child.kill('SIGTERM') // nobody else would stop it
      reject(new Error(`not ready after 90 s: ${out}`))
    }, 90_000).unref()
  })
}

export const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.removeAllListeners('exit')
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })

export const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })

/** The machine's `uptime` line for the record (its load averages), or the load averages alone where `uptime` is missing. */
export function uptime(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim()
  } catch {
    return `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`
  }
}

/**
 * Whether other work competed with a benchmark, judged by the 1-minute load taken before it started anything (its
 * own processes load the machine later): quiet while at most half the cores were busy.
 */
export const quietBefore = (load: number) => load <= cpus().length / 2
