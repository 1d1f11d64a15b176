import { existsSync, mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { s3BlobStore } from '../../src/attachments/s3-blob-store'
import type { Config } from '../../src/config/config-schema'
import { loadConfig } from '../../src/config/load-config'
import { StartupError } from '../../src/config/startup-error'
import { attachment, cases, member } from '../../src/db/schema'
import { ageBlob, hasBlob } from '../support/blob-age'
import { signIn, uniqueText } from '../support/case-actions'
import { withDemoApp } from '../support/demo-app'
import { startFakeS3, type FakeS3 } from '../support/fake-s3'
import { jpegWithGps } from '../support/images'
import { postCase } from '../support/submit'
import { freePort, spawnServer } from '../support/server-process'
import { createTestApp } from '../support/test-app'

/**
 * Issue 17: with S3_* set, attachments live in an S3-compatible store (here s3rver on 127.0.0.1), are read only
 * through the API's authorised routes, are swept when no row names them, and any API process serves any photo.
 */
let s3: FakeS3
const overrides: Partial<Config> = {}
beforeAll(async () => {
  s3 = await startFakeS3()
  overrides.s3 = s3.settings()
})
afterAll(() => s3?.close())
const ctx = withDemoApp(overrides)
beforeAll(() => {
  ctx.t.fakeS3 = s3
})
const db = () => ctx.t.database.db
const bucket = () => s3BlobStore(overrides.s3!)

async function residentPhoto(app = ctx.t.app) {
  const res = await postCase(app, { code: ctx.refs.memberCode, description: uniqueText('路灯坏了，晚上很黑，请尽快修理'), confirmNew: 'on' }, [
    { name: 'photo1', data: await jpegWithGps() },
  ])
  expect(res.statusCode, res.body).toBe(201)
  const { publicNo, trackingSecret } = res.json<{ publicNo: string; trackingSecret: string }>()
  const [row] = await db().select({ id: cases.id }).from(cases).where(eq(cases.publicNo, publicNo))
  const [photo] = await db().select().from(attachment).where(eq(attachment.caseId, row!.id))
  return { caseId: row!.id, trackingSecret, photo: photo! }
}

describe('attachments in an S3-compatible store', () => {
  it("keeps a resident's photo in the bucket, not on disk, and shows it only through the authorised routes", async () => {
    const { caseId, trackingSecret, photo } = await residentPhoto()
    const inBucket = await bucket().get(photo.storageKey)
    expect(inBucket?.length).toBe(photo.bytes)
    expect(existsSync(path.join(ctx.t.config.dataDir, 'attachments'))).toBe(false)

    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const url = (await wang.detail(caseId)).attachments[0]!.url
    const seen = await wang.get(url)
    expect([seen.statusCode, seen.headers['content-type'], seen.headers['cache-control']]).toEqual([200, 'image/jpeg', 'private, max-age=31536000, immutable'])
    expect(seen.rawPayload.equals(inBucket!)).toBe(true)
    expect((await ctx.t.app.inject({ url })).statusCode).toBe(401)
    expect((await (await signIn(ctx.t.app, 'zhangzhiqiang')).get(url)).statusCode).toBe(404)

    // The resident's tracking page shows their own photo (downscaled by the API); another link does not.
    const own = await ctx.t.app.inject({ url: `/t/${trackingSecret}/photos/${photo.id}?w=640` })
    expect([own.statusCode, own.headers['content-type']]).toEqual([200, 'image/jpeg'])
    expect((await ctx.t.app.inject({ url: `/t/${'0'.repeat(32)}/photos/${photo.id}?w=640` })).statusCode).toBe(404)
  })

  it("stores a member's portrait and an activity photo in the bucket; the activity photo only for its member", async () => {
    const admin = await signIn(ctx.t.app, 'committee')
    const [wangRow] = await db().select({ id: member.id }).from(member).where(eq(member.name, ctx.refs.memberName))
    const form = new FormData()
    form.append('photo', new Blob([new Uint8Array(await jpegWithGps(900, 1200))]), 'me.jpg')
    const set = await ctx.t.app.inject({ method: 'PUT', url: `/api/v1/members/${wangRow!.id}/photo`, headers: admin.headers, payload: form })
    expect(set.statusCode, set.body).toBe(200)
    const [{ photoKey }] = (await db().select({ photoKey: member.photoKey }).from(member).where(eq(member.id, wangRow!.id))) as [{ photoKey: string }]
    expect(await bucket().get(photoKey)).toBeDefined()
    const portrait = await ctx.t.app.inject({ url: set.json<{ photoUrl: string }>().photoUrl })
    expect([portrait.statusCode, portrait.headers['content-type']]).toEqual([200, 'image/jpeg'])

    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const activity = new FormData()
    activity.append(
      'activity',
      JSON.stringify({ kind: 'visit', occurredOn: '2026-11-20', place: '东城社区', notes: '走访独居老人', opId: crypto.randomUUID() }),
    )
    activity.append('photo1', new Blob([new Uint8Array(await jpegWithGps(1200, 900))], { type: 'image/jpeg' }), 'p1.jpg')
    const logged = await ctx.t.app.inject({ method: 'POST', url: '/api/v1/me/activities', headers: wang.headers, payload: activity })
    expect(logged.statusCode, logged.body).toBe(201)
    const photoUrl = logged.json<{ activity: { photos: { url: string }[] } }>().activity.photos[0]!.url
    const mine = await wang.get(photoUrl)
    expect([mine.statusCode, mine.headers['content-type']]).toEqual([200, 'image/jpeg'])
    expect((await (await signIn(ctx.t.app, 'zhangzhiqiang')).get(photoUrl)).statusCode).toBe(404)
  })

  it('sweeps blobs older than an hour that no row names; keeps named and younger ones', async () => {
    const { photo } = await residentPhoto()
    const hoursAgo = (h: number) => new Date(ctx.t.clock.now().getTime() - h * 3_600_000)
    ageBlob(ctx.t, photo.storageKey, hoursAgo(5))
    const blobs = ctx.t.app.services.blobs
    await blobs.put('cases/2026/11/s3-orphan-old.jpg', Buffer.from('left by a killed process'))
    ageBlob(ctx.t, 'cases/2026/11/s3-orphan-old.jpg', hoursAgo(2))
    await blobs.put('activities/2026/11/s3-orphan-young.jpg', Buffer.from('its transaction may still run'))
    ageBlob(ctx.t, 'activities/2026/11/s3-orphan-young.jpg', hoursAgo(0.5))

    const { removed } = await ctx.t.app.services.orphanSweep.run()
    expect(removed).toBe(1)
    expect(await hasBlob(ctx.t, 'cases/2026/11/s3-orphan-old.jpg')).toBe(false)
    expect(await hasBlob(ctx.t, 'activities/2026/11/s3-orphan-young.jpg')).toBe(true)
    expect(await hasBlob(ctx.t, photo.storageKey)).toBe(true)
    expect((await ctx.t.app.services.orphanSweep.run()).removed).toBe(0)
  })

  it('serves from a second API process on the same database and bucket what the first stored, and back', async () => {
    const b = await createTestApp({ s3: overrides.s3, secrets: ctx.t.config.secrets }, ctx.t.database)
    try {
      const viaA = await residentPhoto(ctx.t.app)
      const viaB = await residentPhoto(b.app)
      for (const [reader, stored] of [
        [b.app, viaA],
        [ctx.t.app, viaB],
      ] as const) {
        const wang = await signIn(reader, 'wangjianguo')
        const url = (await wang.detail(stored.caseId)).attachments[0]!.url
        const seen = await wang.get(url)
        expect(seen.statusCode).toBe(200)
        expect(seen.rawPayload.equals((await bucket().get(stored.photo.storageKey))!)).toBe(true)
        expect((await reader.inject({ url: `/t/${stored.trackingSecret}/photos/${stored.photo.id}?w=320` })).statusCode).toBe(200)
      }
    } finally {
      await b.close()
    }
  })
})

describe('S3 configuration at start-up', () => {
  const env = (vars: Record<string, string>) => ({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'msj-s3cfg-')), ...vars })
  const full = () => ({ S3_ENDPOINT: s3.endpoint, S3_BUCKET: 'msj-config', S3_ACCESS_KEY: 'S3RVER', S3_SECRET_KEY: 'S3RVER' })

  it('reads the S3 variables, path-style and us-east-1 unless told; a partial set stops the start naming what is missing', () => {
    expect(loadConfig(env(full())).s3).toEqual({ ...s3.settings('msj-config'), region: 'us-east-1', pathStyle: true })
    expect(loadConfig(env({ ...full(), S3_REGION: 'cn-north-1', S3_PATH_STYLE: 'false' })).s3).toMatchObject({ region: 'cn-north-1', pathStyle: false })
    expect(loadConfig(env({})).s3).toBeUndefined()
    const { S3_SECRET_KEY: _, ...partial } = full()
    expect(() => loadConfig(env(partial))).toThrow(StartupError)
    expect(() => loadConfig(env(partial))).toThrow(/S3_SECRET_KEY is not set/)
    expect(() => loadConfig(env({ S3_REGION: 'cn-north-1' }))).toThrow(/S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY are not set/)
    expect(() => loadConfig(env({ ...full(), S3_ENDPOINT: 'http://minio:9000/path' }))).toThrow(/S3_ENDPOINT must be the http\(s\) URL/)
  })

  it('makes a missing bucket; refuses wrong keys and an endpoint where nothing answers', async () => {
    const fresh = s3BlobStore(s3.settings())
    await fresh.ready()
    await fresh.ready()
    await fresh.put('cases/2026/12/x.jpg', Buffer.from('x'))
    expect((await fresh.get('cases/2026/12/x.jpg'))?.toString()).toBe('x')
    expect(await fresh.get('cases/2026/12/none.jpg')).toBeUndefined()

    // s3rver refuses an access key it does not know (it does not check SigV4 signatures themselves).
    const wrongKeys = s3BlobStore({ ...s3.settings(), accessKey: 'NOT-A-KEY' })
    await expect(wrongKeys.ready()).rejects.toThrow(StartupError)
    await expect(wrongKeys.ready()).rejects.toThrow(/S3_ACCESS_KEY and S3_SECRET_KEY/)

    const closed = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as { port: number }
        srv.close(() => resolve(port))
      })
    })
    const nobody = s3BlobStore({ ...s3.settings(), endpoint: `http://127.0.0.1:${closed}` })
    await expect(nobody.ready()).rejects.toThrow(/nothing answers/)
  })
})

describe('the server process with an S3 store it may not use', { timeout: 240_000 }, () => {
  it('exits 1 before opening its port, with one line naming the bucket and what to check', async () => {
    // PGlite in a fresh folder (the check comes after the migrations); the store refuses the access key.
    const proc = spawnServer({
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'msj-s3srv-')),
      SEED_DEMO: 'false',
      PORT: String(await freePort()),
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: 'msj-refused',
      S3_ACCESS_KEY: 'NOT-A-KEY',
      S3_SECRET_KEY: 'whatever',
    })
    expect(await proc.exited).toBe(1)
    const lines = proc.stderr().trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^mashangjian: S3 bucket "msj-refused" at http:\/\/127\.0\.0\.1:\d+ cannot be used: .+\(check S3_ACCESS_KEY and S3_SECRET_KEY/)
  })
})
