import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { StartupError } from '../config/startup-error'

/** Where attachment bytes live: DATA_DIR/attachments by default, an S3-compatible store when S3_* is set (s3-blob-store.ts). */
export interface BlobStore {
  /** Checked once before the server opens its port; throws a StartupError saying what is wrong. */
  ready(): Promise<void>
  put(key: string, data: Buffer): Promise<void>
  get(key: string): Promise<Buffer | undefined>
  remove(key: string): Promise<void>
  /** Every stored key with when it was written, for the sweep of blobs no row names (orphan-sweep.ts). */
  list(): AsyncIterable<{ key: string; writtenAt: Date }>
}

export const SAFE_KEY = /^[a-z0-9][a-z0-9/_-]*\.[a-z0-9]+$/

export function diskBlobStore(root: string): BlobStore {
  const file = (key: string) => {
    // Keys are made by us, never by clients; refuse anything that could leave the root anyway.
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`unsafe blob key ${key}`)
    return path.join(root, key)
  }
  return {
    async ready() {
      try {
        await mkdir(root, { recursive: true })
      } catch (err) {
        throw new StartupError(`The attachment folder ${root} cannot be created: ${(err as Error).message}`)
      }
    },
    async put(key, data) {
      await mkdir(path.dirname(file(key)), { recursive: true })
      await writeFile(file(key), data, { flag: 'wx' })
    },
    async get(key) {
      try {
        return await readFile(file(key))
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw err
      }
    },
    async remove(key) {
      await rm(file(key), { force: true })
    },
    async *list() {
      let entries
      try {
        entries = await readdir(root, { recursive: true, withFileTypes: true })
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
        throw err
      }
      for (const entry of entries) {
        if (!entry.isFile()) continue
        const key = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')
        if (!SAFE_KEY.test(key)) continue
        const info = await stat(path.join(root, key)).catch(() => undefined)
        if (info) yield { key, writtenAt: info.mtime }
      }
    },
  }
}
