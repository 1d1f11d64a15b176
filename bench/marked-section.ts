import { existsSync, readFileSync, writeFileSync } from 'node:fs'

/** A part of docs/BENCHMARKS.md that one benchmark owns, between `<!-- name:start -->` and `<!-- name:end -->`. */
export const markers = (name: string) => ({ start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` })

/** The section `name` of `doc`, markers included, if it has one. */
export function sectionOf(doc: string, name: string): string | undefined {
  const { start, end } = markers(name)
  const from = doc.indexOf(start)
  const to = from >= 0 ? doc.indexOf(end, from) : -1
  return to > from ? doc.slice(from, to + end.length) : undefined
}

/** Replaces the section `name` of the file (markers included in `section`), or appends it. */
export function writeSection(file: string, name: string, section: string): void {
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n'
  const current = sectionOf(old, name)
  writeFileSync(file, current ? old.replace(current, () => section) : `${old.trimEnd()}\n\n${section}\n`)
}
