import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ArchiveWriter, stageArchive } from '../../src/backup/backup-archive'
import { CHUNK_SIZE, MAGIC } from '../../src/backup/backup-crypto'

const PASSPHRASE = 'archive test passphrase'

/** The encrypted container on its own: several chunks, and every way an archive can be wrong. */
describe('backup archive container', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'msj-archive-'))
  const file = path.join(dir, 'a.msjbak')
  // Larger than two chunks, so chunk order and the final flag matter.
  const database = randomBytes(CHUNK_SIZE * 2 + 12345)
  const photo = randomBytes(70_000)
  const manifest = {
    app: 'mashangjian',
    version: 't',
    createdAt: '2026-12-05T00:00:00.000Z',
    database: { driver: 'pglite', format: 'pglite-datadir-tgz' },
    blobs: 1,
  }
  let bytes: Buffer
  beforeAll(async () => {
    const dbFile = path.join(dir, 'db')
    writeFileSync(dbFile, database)
    const fh = await open(file, 'wx')
    const archive = await ArchiveWriter.create(fh, PASSPHRASE, new Date())
    await archive.add('secrets.json', Buffer.from('{"piiKey":"k"}'))
    await archive.addFile('database', dbFile)
    await archive.add('blob/cases/2026/p.jpg', photo)
    await archive.add('manifest.json', Buffer.from(JSON.stringify(manifest)))
    await archive.finish()
    await fh.close()
    bytes = readFileSync(file)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const stage = async (content: Buffer, passphrase = PASSPHRASE) => {
    const f = path.join(dir, `v-${randomBytes(4).toString('hex')}.msjbak`)
    writeFileSync(f, content)
    const staging = mkdtempSync(path.join(dir, 'stage-'))
    return stageArchive(f, passphrase, staging)
  }
  const headerEnd = () => MAGIC.length + 4 + bytes.readUInt32BE(MAGIC.length)

  it('gives back every entry byte for byte', async () => {
    const staged = await stage(bytes)
    expect(staged.manifest).toEqual(manifest)
    expect(staged.secrets.toString()).toBe('{"piiKey":"k"}')
    expect(readFileSync(staged.databaseFile).equals(database)).toBe(true)
    expect(staged.blobKeys).toEqual(['cases/2026/p.jpg'])
    expect(readFileSync(staged.blobFile('cases/2026/p.jpg')).equals(photo)).toBe(true)
  })

  it('starts with a readable header naming the format version, and nothing else in the clear', () => {
    const header = JSON.parse(bytes.subarray(MAGIC.length + 4, headerEnd()).toString('utf8'))
    expect(header).toMatchObject({ format: 1, cipher: 'aes-256-gcm', kdf: { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 } })
    expect(bytes.includes(photo.subarray(0, 32))).toBe(false)
    expect(bytes.includes(Buffer.from('piiKey'))).toBe(false)
  })

  it.each<[string, (b: Buffer) => Buffer, RegExp]>([
    ['a wrong passphrase', (b) => b, /^Wrong passphrase/],
    ['not an archive', () => Buffer.from('PGDMP custom dump'), /^This file is not a Mashangjian backup archive$/],
    [
      'a newer format',
      (b) => {
        const end = MAGIC.length + 4 + b.readUInt32BE(MAGIC.length)
        const header = JSON.parse(b.subarray(MAGIC.length + 4, end).toString('utf8'))
        const json = Buffer.from(JSON.stringify({ ...header, format: 2 }))
        const len = Buffer.alloc(4)
        len.writeUInt32BE(json.length)
        return Buffer.concat([MAGIC, len, json, b.subarray(end)])
      },
      /^The archive has format 2; this version reads format 1/,
    ],
    [
      'an edited header (createdAt)',
      (b) => Buffer.from(b.toString('latin1').replace(/"createdAt":"\d{4}/, '"createdAt":"1999'), 'latin1'),
      /damaged or was altered/,
    ],
    ['a flipped bit in the last chunk', (b) => Buffer.from(b.map((x, i) => (i === b.length - 20 ? x ^ 1 : x))), /damaged or was altered/],
    ['the final chunk cut off', (b) => b.subarray(0, headerEnd() + 2 * (5 + CHUNK_SIZE + 16)), /damaged or was altered/],
    ['bytes after the final chunk', (b) => Buffer.concat([b, Buffer.from([0])]), /damaged or was altered/],
    [
      'two chunks swapped',
      (b) => {
        const start = headerEnd()
        const size = 5 + CHUNK_SIZE + 16
        return Buffer.concat([b.subarray(0, start), b.subarray(start + size, start + 2 * size), b.subarray(start, start + size), b.subarray(start + 2 * size)])
      },
      /damaged or was altered/,
    ],
  ])('refuses %s', async (name, change, message) => {
    await expect(stage(change(bytes), name === 'a wrong passphrase' ? 'another passphrase' : PASSPHRASE)).rejects.toThrow(message)
  })
})
