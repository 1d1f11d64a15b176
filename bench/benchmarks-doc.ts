import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * docs/BENCHMARKS.md is written by several benchmarks: `npm run bench` owns the top of the file, and each other
 * benchmark owns one section between `<!-- name:start -->` and `<!-- name:end -->`, which the others carry over.
 */
export const BENCHMARKS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'BENCHMARKS.md')

export const markers = (name: string) => ({ start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` })

function find(doc: string, name: string): { start: number; end: number } | undefined {
  const m = markers(name)
  const start = doc.indexOf(m.start)
  const end = start >= 0 ? doc.indexOf(m.end, start) : -1
  return end > start ? { start, end: end + m.end.length } : undefined
}

/** Every marked section of the file, markers included, in file order. */
export function markedSections(file = BENCHMARKS_FILE): string[] {
  if (!existsSync(file)) return []
  const doc = readFileSync(file, 'utf8')
  return [...doc.matchAll(/<!-- ([a-z0-9-]+):start -->/g)].flatMap((m) => {
    const at = find(doc, m[1]!)
    return at ? [doc.slice(at.start, at.end)] : []
  })
}

/** Replaces the section `name` (its body without markers), or appends it when it is not there yet. */
export function writeSection(name: string, body: string, file = BENCHMARKS_FILE): void {
  const m = markers(name)
  const section = `${m.start}\n${body.trim()}\n${m.end}`
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n'
  const at = find(old, name)
  writeFileSync(file, at ? old.slice(0, at.start) + section + old.slice(at.end) : `${old.trimEnd()}\n\n${section}\n`)
}
