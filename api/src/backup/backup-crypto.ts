import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import { BackupError } from './backup-error'

/**
 * The encrypted container of a backup archive, with node:crypto only (no dependency to audit or keep on Node 20):
 *
 *   "MSJ-BACKUP\n" | u32 header length | header JSON (format version, KDF parameters, salt, nonce prefix, key check)
 *   then chunks:   u8 final flag | u32 ciphertext length | ciphertext | 16-byte GCM tag
 *
 * AES-256-GCM needs the whole message before its tag can be checked, so one GCM stream over a large archive would
 * hand out unauthenticated bytes first. Instead each chunk (1 MiB) is sealed on its own (the STREAM construction):
 * its nonce is the random prefix plus the chunk's index (reordering fails), the AAD binds the header hash and the
 * final flag (an edited header or a cut-off archive fails), so every byte is authenticated before it is used.
 * The key comes from the passphrase through scrypt (N=2^17, r=8, p=1: ~128 MiB, under a second here); a second
 * scrypt output half stored as `keyCheck` tells a wrong passphrase apart from a damaged archive.
 */
export const MAGIC = Buffer.from('MSJ-BACKUP\n')
export const FORMAT_VERSION = 1
export const CHUNK_SIZE = 1024 * 1024
const TAG = 16
const SCRYPT = { N: 2 ** 17, r: 8, p: 1 }

export interface ContainerHeader {
  format: number
  cipher: 'aes-256-gcm'
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string }
  noncePrefix: string
  keyCheck: string
  chunkSize: number
  createdAt: string
}

async function deriveKeys(passphrase: string, kdf: ContainerHeader['kdf']): Promise<{ key: Buffer; check: Buffer }> {
  const out = await new Promise<Buffer>((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 64, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 512 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  )
  return { key: out.subarray(0, 32), check: out.subarray(32, 48) }
}

const nonceFor = (prefix: Buffer, index: number) => {
  const nonce = Buffer.alloc(12)
  prefix.copy(nonce, 0, 0, 8)
  nonce.writeUInt32BE(index, 8)
  return nonce
}
const aadFor = (headerHash: Buffer, final: boolean) => Buffer.concat([headerHash, Buffer.from([final ? 1 : 0])])

/** Writes sealed chunks to an open file; `write` buffers plaintext, `finish` seals the last (final) chunk. */
export class ContainerWriter {
  private pending: Buffer[] = []
  private pendingLength = 0
  private index = 0
  written = 0

  private constructor(
    private readonly fh: FileHandle,
    private readonly key: Buffer,
    private readonly prefix: Buffer,
    private readonly headerHash: Buffer,
  ) {}

  static async open(fh: FileHandle, passphrase: string, createdAt: Date): Promise<ContainerWriter> {
    const kdf = { name: 'scrypt' as const, ...SCRYPT, salt: randomBytes(16).toString('base64') }
    const { key, check } = await deriveKeys(passphrase, kdf)
    const prefix = randomBytes(8)
    const header: ContainerHeader = {
      format: FORMAT_VERSION,
      cipher: 'aes-256-gcm',
      kdf,
      noncePrefix: prefix.toString('base64'),
      keyCheck: check.toString('base64'),
      chunkSize: CHUNK_SIZE,
      createdAt: createdAt.toISOString(),
    }
    const json = Buffer.from(JSON.stringify(header))
    const length = Buffer.alloc(4)
    length.writeUInt32BE(json.length)
    const head = Buffer.concat([MAGIC, length, json])
    const writer = new ContainerWriter(fh, key, prefix, createHash('sha256').update(head).digest())
    await writer.raw(head)
    return writer
  }

  private async raw(buf: Buffer) {
    await this.fh.write(buf)
    this.written += buf.length
  }

  private async seal(plain: Buffer, final: boolean) {
    if (this.index === 0xffffffff) throw new BackupError('ARCHIVE_TOO_LARGE', 'The archive would exceed 4 PiB')
    const cipher = createCipheriv('aes-256-gcm', this.key, nonceFor(this.prefix, this.index++))
    cipher.setAAD(aadFor(this.headerHash, final))
    const body = Buffer.concat([cipher.update(plain), cipher.final()])
    const frame = Buffer.alloc(5)
    frame.writeUInt8(final ? 1 : 0, 0)
    frame.writeUInt32BE(body.length, 1)
    await this.raw(Buffer.concat([frame, body, cipher.getAuthTag()]))
  }

  async write(data: Buffer): Promise<void> {
    this.pending.push(data)
    this.pendingLength += data.length
    // Strictly more than a chunk: the last full chunk may turn out to be the final one.
    while (this.pendingLength > CHUNK_SIZE) {
      const all = Buffer.concat(this.pending)
      await this.seal(all.subarray(0, CHUNK_SIZE), false)
      this.pending = [all.subarray(CHUNK_SIZE)]
      this.pendingLength = all.length - CHUNK_SIZE
    }
  }

  async finish(): Promise<void> {
    await this.seal(Buffer.concat(this.pending), true)
    this.pending = []
    this.pendingLength = 0
  }
}

/** Reads exactly `n` bytes at `position`, or fewer at the end of the file. */
async function readAt(fh: FileHandle, position: number, n: number): Promise<Buffer> {
  const buf = Buffer.alloc(n)
  let got = 0
  while (got < n) {
    const { bytesRead } = await fh.read(buf, got, n - got, position + got)
    if (bytesRead === 0) break
    got += bytesRead
  }
  return buf.subarray(0, got)
}

/** Parses and checks the header; throws a BackupError saying what is wrong (not an archive, newer format, wrong passphrase). */
export async function openContainer(fh: FileHandle, passphrase: string): Promise<{ header: ContainerHeader; chunks: AsyncGenerator<Buffer> }> {
  const magic = await readAt(fh, 0, MAGIC.length + 4)
  if (magic.length < MAGIC.length + 4 || !magic.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new BackupError('NOT_AN_ARCHIVE', 'This file is not a Mashangjian backup archive')
  }
  const headerLength = magic.readUInt32BE(MAGIC.length)
  if (headerLength > 64 * 1024) throw new BackupError('ARCHIVE_DAMAGED', 'The archive header is damaged')
  const json = await readAt(fh, MAGIC.length + 4, headerLength)
  let header: ContainerHeader
  try {
    header = JSON.parse(json.toString('utf8')) as ContainerHeader
  } catch {
    throw new BackupError('ARCHIVE_DAMAGED', 'The archive header is damaged')
  }
  if (typeof header.format !== 'number' || header.format > FORMAT_VERSION) {
    throw new BackupError(
      'ARCHIVE_TOO_NEW',
      `The archive has format ${String(header.format)}; this version reads format ${FORMAT_VERSION}: restore with a newer release`,
    )
  }
  if (header.cipher !== 'aes-256-gcm' || header.kdf?.name !== 'scrypt' || header.kdf.N > 2 ** 20 || header.kdf.r > 16 || header.kdf.p > 4) {
    throw new BackupError('ARCHIVE_DAMAGED', 'The archive header names a cipher or key derivation this version does not use')
  }
  const { key, check } = await deriveKeys(passphrase, header.kdf)
  const stored = Buffer.from(header.keyCheck, 'base64')
  if (stored.length !== check.length || !timingSafeEqual(stored, check)) {
    throw new BackupError('WRONG_PASSPHRASE', 'Wrong passphrase: BACKUP_PASSPHRASE is not the one this archive was made with')
  }
  const headEnd = MAGIC.length + 4 + headerLength
  const headerHash = createHash('sha256')
    .update(Buffer.concat([magic, json]))
    .digest()
  const prefix = Buffer.from(header.noncePrefix, 'base64')
  const damaged = () => new BackupError('ARCHIVE_DAMAGED', 'The archive is damaged or was altered: it failed its integrity check; nothing was restored')
  async function* chunks(): AsyncGenerator<Buffer> {
    let position = headEnd
    for (let index = 0; ; index++) {
      const frame = await readAt(fh, position, 5)
      if (frame.length < 5) throw damaged() // ended before the final chunk: cut off
      const final = frame.readUInt8(0)
      const length = frame.readUInt32BE(1)
      if (final > 1 || length > header.chunkSize) throw damaged()
      const body = await readAt(fh, position + 5, length + TAG)
      if (body.length < length + TAG) throw damaged()
      position += 5 + length + TAG
      const decipher = createDecipheriv('aes-256-gcm', key, nonceFor(prefix, index))
      decipher.setAAD(aadFor(headerHash, final === 1))
      decipher.setAuthTag(body.subarray(length))
      let plain: Buffer
      try {
        plain = Buffer.concat([decipher.update(body.subarray(0, length)), decipher.final()])
      } catch {
        throw damaged()
      }
      yield plain
      if (final === 1) {
        if ((await readAt(fh, position, 1)).length > 0) throw damaged() // bytes after the final chunk
        return
      }
    }
  }
  return { header, chunks: chunks() }
}
