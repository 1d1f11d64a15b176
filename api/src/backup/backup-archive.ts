import { mkdir, open, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { ContainerWriter, openContainer } from './backup-crypto'
import { BackupError } from './backup-error'

/**
 * The entries inside the encrypted container, one after another: u16 name length | name | u64 size | bytes.
 * Names: `secrets.json`, `database` (pg_dump custom format or a PGlite data-dir tarball,
 * as the manifest says), `blob/<key>` per attachment, and `manifest.json` last (it counts the attachments).
 */
export interface Manifest {
  app: 'mashangjian'
  version: string
  createdAt: string
  database: { driver: 'postgres' | 'pglite'; format: 'pg_dump-custom' | 'pglite-datadir-tgz'; serverVersion?: string }
  blobs: number
}

export class ArchiveWriter {
  private constructor(private readonly out: ContainerWriter) {}

  static async create(fh: FileHandle, passphrase: string, createdAt: Date) {
    return new ArchiveWriter(await ContainerWriter.open(fh, passphrase, createdAt))
  }

  private async head(name: string, size: number) {
    const n = Buffer.from(name, 'utf8')
    const head = Buffer.alloc(2 + n.length + 8)
    head.writeUInt16BE(n.length, 0)
    n.copy(head, 2)
    head.writeBigUInt64BE(BigInt(size), 2 + n.length)
    await this.out.write(head)
  }

  async add(name: string, data: Buffer) {
    await this.head(name, data.length)
    await this.out.write(data)
  }

  /** A file streamed in pieces (a database dump may be larger than memory should hold). */
  async addFile(name: string, file: string) {
    const fh = await open(file, 'r')
    try {
      const { size } = await fh.stat()
      await this.head(name, size)
      const buf = Buffer.alloc(1024 * 1024)
      for (let pos = 0; pos < size;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos)
        if (bytesRead === 0) throw new Error(`${file} shrank while it was being archived`)
        await this.out.write(Buffer.from(buf.subarray(0, bytesRead)))
        pos += bytesRead
      }
    } finally {
      await fh.close()
    }
  }

  async finish(): Promise<number> {
    await this.out.finish()
    return this.out.written
  }
}

/** Pulls exact byte counts out of the decrypted chunk stream. */
class ByteReader {
  private buf: Buffer = Buffer.alloc(0)
  constructor(private readonly chunks: AsyncGenerator<Buffer>) {}
  /** Up to `max` bytes (at least one), or undefined at the end of the stream. */
  async some(max: number): Promise<Buffer | undefined> {
    while (this.buf.length === 0) {
      const next = await this.chunks.next()
      if (next.done) return undefined
      this.buf = next.value
    }
    const out = this.buf.subarray(0, max)
    this.buf = this.buf.subarray(out.length)
    return out
  }
  async exact(n: number): Promise<Buffer | undefined> {
    const parts: Buffer[] = []
    let got = 0
    while (got < n) {
      const part = await this.some(n - got)
      if (!part) {
        if (got === 0) return undefined
        throw new BackupError('ARCHIVE_DAMAGED', 'The archive ends inside an entry')
      }
      parts.push(part)
      got += part.length
    }
    return Buffer.concat(parts)
  }
}

export interface StagedArchive {
  manifest: Manifest
  secrets: Buffer
  /** File holding the database entry. */
  databaseFile: string
  /** Attachment keys, each staged at blobFile(key). */
  blobKeys: string[]
  blobFile(key: string): string
}

const SAFE_BLOB_KEY = /^[a-z0-9][a-z0-9/_-]*\.[a-z0-9]+$/

/**
 * Decrypts the whole archive into `stagingDir` and only then returns: every chunk has passed its integrity check
 * before anything is restored, so a tampered or truncated archive changes nothing.
 */
export async function stageArchive(file: string, passphrase: string, stagingDir: string): Promise<StagedArchive> {
  let fh: FileHandle
  try {
    fh = await open(file, 'r')
  } catch (err) {
    throw new BackupError('NOT_AN_ARCHIVE', `Cannot read ${file}: ${(err as Error).message}`)
  }
  try {
    const { chunks } = await openContainer(fh, passphrase)
    const reader = new ByteReader(chunks)
    let manifest: Manifest | undefined
    let secrets: Buffer | undefined
    const databaseFile = path.join(stagingDir, 'database')
    let database = false
    const blobKeys: string[] = []
    const blobFile = (key: string) => path.join(stagingDir, 'blobs', ...key.split('/'))
    for (;;) {
      const nameLength = await reader.exact(2)
      if (!nameLength) break
      const name = (await reader.exact(nameLength.readUInt16BE(0)))?.toString('utf8')
      const sizeBytes = await reader.exact(8)
      if (name === undefined || !sizeBytes) throw new BackupError('ARCHIVE_DAMAGED', 'The archive ends inside an entry')
      const size = Number(sizeBytes.readBigUInt64BE(0))
      let target: string | undefined
      if (name === 'database') target = databaseFile
      else if (name.startsWith('blob/')) {
        const key = name.slice(5)
        if (!SAFE_BLOB_KEY.test(key) || key.includes('..')) throw new BackupError('ARCHIVE_DAMAGED', `The archive names an unsafe attachment key ${key}`)
        blobKeys.push(key)
        target = blobFile(key)
      } else if (name !== 'manifest.json' && name !== 'secrets.json') throw new BackupError('ARCHIVE_DAMAGED', `Unknown archive entry ${name}`)
      if (!target) {
        const data = size === 0 ? Buffer.alloc(0) : await reader.exact(size)
        if (!data) throw new BackupError('ARCHIVE_DAMAGED', 'The archive ends inside an entry')
        if (name === 'manifest.json') manifest = JSON.parse(data.toString('utf8')) as Manifest
        else secrets = data
        continue
      }
      await mkdir(path.dirname(target), { recursive: true })
      const out = await open(target, 'wx')
      try {
        for (let left = size; left > 0;) {
          const part = await reader.some(Math.min(left, 1024 * 1024))
          if (!part) throw new BackupError('ARCHIVE_DAMAGED', 'The archive ends inside an entry')
          await out.write(part)
          left -= part.length
        }
      } finally {
        await out.close()
      }
      if (name === 'database') database = true
    }
    if (!manifest || manifest.app !== 'mashangjian' || !secrets || !database) {
      throw new BackupError('ARCHIVE_DAMAGED', 'The archive lacks its manifest, secrets or database')
    }
    if (manifest.blobs !== blobKeys.length)
      throw new BackupError('ARCHIVE_DAMAGED', `The archive should hold ${manifest.blobs} attachments but holds ${blobKeys.length}`)
    return { manifest, secrets, databaseFile, blobKeys, blobFile }
  } finally {
    await fh.close()
  }
}
