import { and, count, eq, sql } from 'drizzle-orm'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { attachment, auditLog, caseEvent, cases, handoff, notification } from '../../src/db/schema'
import { createCasesRepo } from '../../src/cases/cases-repo'
import { createDepartmentLinkRepo } from '../../src/handoffs/department-link-repo'
import { createDepartmentLinkService } from '../../src/handoffs/department-link-service'
import { createPhotoStore } from '../../src/attachments/photo-store'
import { createNoticePlanner } from '../../src/notifications/notice-plan'
import { withDemoApp } from '../support/demo-app'
import { signIn, submitCase, uniqueText } from '../support/case-actions'
import { handOff } from '../support/handoff-fixture'
import { jpegWithGps } from '../support/images'
import { BROWSER_ACCEPT, footprint, postCase } from '../support/submit'

const ctx = withDemoApp()
const db = () => ctx.t.database.db
const app = () => ctx.t.app

const PHONE = '13812345678'
const ID_NO = '110101199003074578'

const open = (secret: string, query = '') => app().inject({ method: 'GET', url: `/d/${secret}${query}`, headers: { accept: BROWSER_ACCEPT } })

/** A form post as the no-JavaScript page makes it: multipart when photos go along, else urlencoded. */
function post(secret: string, action: 'acknowledge' | 'answer' | 'return', fields: Record<string, string> = {}, photos: Buffer[] = []) {
  const url = `/d/${secret}/${action}`
  const headers = { accept: BROWSER_ACCEPT }
  if (photos.length === 0) {
    return app().inject({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    })
  }
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  photos.forEach((p, i) => form.append(`photo${i + 1}`, new Blob([new Uint8Array(p)], { type: 'image/jpeg' }), `IMG_${i + 1}.jpg`))
  return app().inject({ method: 'POST', url, headers, payload: form })
}

/** An accepted case of 王建国's (hand-offs come from cases being worked on). */
async function acceptedCase(text: string) {
  const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText(text))
  await (await signIn(app(), 'wangjianguo')).ok(c.id, { type: 'accept' })
  return c
}

const events = (caseId: string, type: string) =>
  db()
    .select()
    .from(caseEvent)
    .where(and(eq(caseEvent.caseId, caseId), sql`${caseEvent.type} = ${type}`))
const handoffRow = async (id: string) => (await db().select().from(handoff).where(eq(handoff.id, id)))[0]!
const caseRow = async (id: string) => (await db().select().from(cases).where(eq(cases.id, id)))[0]!
const opens = async (handoffId: string) =>
  (
    await db()
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'handoff.link_opened'), eq(auditLog.targetId, handoffId)))
  )[0]!.n

describe('the department link', () => {
  it('opens only its own hand-off; a mutated or malformed secret is 404', async () => {
    const a = await acceptedCase('桥头的护栏被车撞断了')
    const b = await acceptedCase('菜市场门口污水横流')
    const ha = await handOff(ctx.t, a.id, { question: '请交通局核实护栏损坏情况' })
    const hb = await handOff(ctx.t, b.id, { question: '请城管局处理菜市场污水' })

    const pa = await open(ha.secret)
    expect(pa.statusCode).toBe(200)
    expect(pa.body).toContain('请交通局核实护栏损坏情况')
    expect(pa.body).toContain(a.publicNo)
    expect(pa.body).not.toContain('请城管局处理菜市场污水')
    expect(pa.headers['referrer-policy']).toBe('no-referrer')
    expect(pa.headers['x-robots-tag']).toBe('noindex')
    expect(pa.headers['cache-control']).toBe('no-store')
    expect(pa.headers['content-type']).toContain('text/html')
    const pb = await open(hb.secret)
    expect(pb.body).toContain('请城管局处理菜市场污水')
    expect(pb.body).not.toContain('请交通局核实护栏损坏情况')

    const last = ha.secret.at(-1) === 'A' ? 'B' : 'A'
    for (const bad of [`${ha.secret.slice(0, -1)}${last}`, ha.secret.slice(1), 'not-a-secret', `${ha.secret}x`]) {
      const res = await open(bad)
      expect(res.statusCode, bad).toBe(404)
      expect(res.headers['content-type']).toContain('text/html')
      expect(res.body).toContain('链接无效')
      expect(res.body).not.toContain(a.publicNo)
    }
    // The other hand-off's actions through this link change nothing there.
    expect((await post(ha.secret, 'acknowledge')).statusCode).toBe(303)
    expect((await handoffRow(hb.id)).status).toBe('sent')
  })

  it('shows no phone or ID number in clear, even when the description holds both', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText(`楼道堆满杂物，我电话${PHONE}，身份证${ID_NO}，房东电话138 8765 4321`), {
      phone: '13998765432',
      consent: 'on',
      location: `幸福小区3栋，联系${PHONE}`,
    })
    const h = await handOff(ctx.t, c.id, { question: `请消防部门检查，居民电话${PHONE}` })
    const res = await open(h.secret)
    expect(res.statusCode).toBe(200)
    for (const clear of [PHONE, ID_NO, '138 8765 4321', '13998765432', '8765 4321']) expect(res.body).not.toContain(clear)
    expect(res.body).toContain('138****5678')
    expect(res.body).toContain('110101********4578')
    expect(res.body).toContain('138****4321')
    expect(res.body).toContain('幸福小区3栋')
    expect(res.body).not.toMatch(/\d{11}/)
  })

  it('签收 writes an internal event and acknowledged_at; the case keeps its status, its version moves', async () => {
    const c = await acceptedCase('公交站牌倒在路边')
    const h = await handOff(ctx.t, c.id)
    const before = await caseRow(c.id)
    const res = await post(h.secret, 'acknowledge')
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe(`/d/${h.secret}?done=acknowledged`)
    expect(await handoffRow(h.id)).toMatchObject({ status: 'acknowledged', acknowledgedAt: ctx.t.clock.now() })
    const [e] = await events(c.id, 'handoff_acknowledged')
    expect(e).toMatchObject({ visibility: 'internal', data: { handoffId: h.id, departmentId: h.departmentId } })
    expect(await caseRow(c.id)).toMatchObject({ status: before.status, version: before.version + 1 })
    const page = await open(h.secret, '?done=acknowledged')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('已签收')
    expect(page.body).not.toContain(`action="/d/${h.secret}/acknowledge"`)
    // A second 签收 (a double tap) is the same: no second event.
    expect((await post(h.secret, 'acknowledge')).statusCode).toBe(303)
    expect(await events(c.id, 'handoff_acknowledged')).toHaveLength(1)
  })

  it('答复 with a photo: one event with the re-encoded photo, answered (and acknowledged), the member told, the link closed', async () => {
    const c = await acceptedCase('村口的排水沟堵了')
    const h = await handOff(ctx.t, c.id)
    const res = await post(h.secret, 'answer', { answer: '已安排人员于本周五前疏通排水沟。', responderName: '市政科 李工' }, [await jpegWithGps(2000, 1500)])
    expect(res.statusCode, res.body).toBe(303)
    expect(res.headers.location).toBe(`/d/${h.secret}?done=answered`)
    const now = ctx.t.clock.now()
    expect(await handoffRow(h.id)).toMatchObject({
      status: 'answered',
      answer: '已安排人员于本周五前疏通排水沟。',
      responderName: '市政科 李工',
      answeredAt: now,
      acknowledgedAt: now,
    })
    const [e] = await events(c.id, 'handoff_answered')
    expect(e).toMatchObject({
      visibility: 'internal',
      body: '已安排人员于本周五前疏通排水沟。',
      data: { handoffId: h.id, departmentId: h.departmentId, responderName: '市政科 李工' },
    })
    expect((e!.data as { departmentName: string }).departmentName).toMatch(/^住建局/)
    const photos = await db().select().from(attachment).where(eq(attachment.eventId, e!.id))
    expect(photos).toHaveLength(1)
    expect(Math.max(photos[0]!.width!, photos[0]!.height!)).toBe(1600)
    const notices = await db()
      .select()
      .from(notification)
      .where(and(eq(notification.caseId, c.id), eq(notification.templateKey, 'member.handoff_answered')))
    expect(notices.length).toBeGreaterThan(0)
    expect(notices[0]!.params).toMatchObject({ publicNo: c.publicNo })
    expect((await caseRow(c.id)).status).toBe('accepted')

    // Right after: the thank-you shows what was sent (nothing of the case); the link itself is closed, photos too.
    const thanks = await open(h.secret, '?done=answered')
    expect(thanks.statusCode).toBe(200)
    expect(thanks.body).toContain('答复已提交')
    expect(thanks.body).toContain('已安排人员于本周五前疏通排水沟。')
    expect(thanks.body).not.toContain(c.publicNo)
    const closed = await open(h.secret)
    expect(closed.statusCode).toBe(410)
    expect(closed.body).toContain('已经答复')
    expect((await app().inject({ url: `/d/${h.secret}/photos/${photos[0]!.id}` })).statusCode).toBe(404)
    ctx.t.clock.advanceMinutes(31)
    expect((await open(h.secret, '?done=answered')).statusCode).toBe(410)
  })

  it('退回 with a reason: returned, the member told, the reason on the timeline', async () => {
    const c = await acceptedCase('小区里的电动车乱停乱放')
    const h = await handOff(ctx.t, c.id)
    const res = await post(h.secret, 'return', { reason: '不属于本局职责', suggestedDepartment: '街道办事处' })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe(`/d/${h.secret}?done=returned`)
    expect(await handoffRow(h.id)).toMatchObject({
      status: 'returned',
      returnReason: '不属于本局职责',
      suggestedDepartment: '街道办事处',
      returnedAt: ctx.t.clock.now(),
    })
    const [e] = await events(c.id, 'handoff_returned')
    expect(e).toMatchObject({ visibility: 'internal', body: '不属于本局职责', data: { handoffId: h.id, suggestedDepartment: '街道办事处' } })
    const notices = await db()
      .select()
      .from(notification)
      .where(and(eq(notification.caseId, c.id), eq(notification.templateKey, 'member.handoff_returned')))
    expect(notices.length).toBeGreaterThan(0)
    const thanks = await open(h.secret, '?done=returned')
    expect(thanks.body).toContain('已退回')
    expect(thanks.body).toContain('街道办事处')
  })

  it.each([
    ['answered', { status: 'answered' as const, answer: '早已处理完毕', answeredAt: new Date('2026-11-20T02:00:00Z') }, 409],
    ['returned', { status: 'returned' as const, returnReason: '不归我们管', returnedAt: new Date('2026-11-20T02:00:00Z') }, 409],
    ['withdrawn', { status: 'withdrawn' as const, closedAt: new Date('2026-11-20T02:00:00Z') }, 410],
    ['expired', { status: 'expired' as const, closedAt: new Date('2026-11-20T02:00:00Z') }, 410],
    ['revoked', { linkRevokedAt: new Date('2026-11-20T02:00:00Z') }, 410],
  ])('%s: the link shows closed (410) with nothing of the case, and every POST is refused without changes', async (_name, set, postStatus) => {
    const c = await acceptedCase('河堤上有人倾倒垃圾')
    const h = await handOff(ctx.t, c.id, { question: '请环保局查处倾倒垃圾' })
    await db().update(handoff).set(set).where(eq(handoff.id, h.id))
    const page = await open(h.secret)
    expect(page.statusCode).toBe(410)
    expect(page.body).toContain('交办已关闭')
    for (const hidden of [c.publicNo, '请环保局查处倾倒垃圾', '河堤上有人倾倒垃圾']) expect(page.body).not.toContain(hidden)
    // A recap is only for the one who just sent: these were closed days ago (or by someone else).
    expect((await open(h.secret, '?done=answered')).statusCode).toBe(410)

    const row = await handoffRow(h.id)
    const version = (await caseRow(c.id)).version
    const files = await footprint(db(), ctx.t.app.services.blobs)
    for (const [action, fields] of [
      ['acknowledge', {}],
      ['answer', { answer: '补充答复：已经处理' }],
      ['return', { reason: '再退一次' }],
    ] as const) {
      const res = await post(h.secret, action, fields, action === 'answer' ? [await jpegWithGps(400, 300)] : [])
      expect(res.statusCode, `${action}: ${res.body}`).toBe(postStatus)
      expect(res.headers['content-type']).toContain('text/html')
      expect(res.body).not.toContain(c.publicNo)
    }
    expect(await handoffRow(h.id)).toEqual(row)
    expect((await caseRow(c.id)).version).toBe(version)
    expect(await footprint(db(), ctx.t.app.services.blobs)).toEqual(files)
  })

  it('the same answer posted twice (or at once) makes one event; a different one after it is a 409', async () => {
    const c = await acceptedCase('路灯白天也亮着')
    const h = await handOff(ctx.t, c.id)
    const fields = { answer: '已通知路灯所调整开关时间。' }
    const [first, second] = await Promise.all([post(h.secret, 'answer', fields), post(h.secret, 'answer', fields)])
    expect([first.statusCode, second.statusCode]).toEqual([303, 303])
    expect((await post(h.secret, 'answer', fields, [await jpegWithGps(400, 300)])).statusCode).toBe(303)
    expect(await events(c.id, 'handoff_answered')).toHaveLength(1)
    expect((await db().select({ n: count() }).from(attachment).where(eq(attachment.caseId, c.id)))[0]!.n).toBe(0)
    const other = await post(h.secret, 'answer', { answer: '另一位同事的答复内容' })
    expect(other.statusCode).toBe(409)
    expect(other.body).toContain('已经由本单位')
    expect(await events(c.id, 'handoff_answered')).toHaveLength(1)
  })

  it('a closed link repeated with a form error shows nothing of the case (review: the error page used to show it)', async () => {
    const c = await acceptedCase(`东门水管漏水，联系${PHONE}`)
    const h = await handOff(ctx.t, c.id, { question: '请水务局核实东门水管漏水' })
    const fields = { answer: '已派人维修东门水管。' }
    expect((await post(h.secret, 'answer', fields)).statusCode).toBe(303)
    const again = await post(h.secret, 'answer', { ...fields, responderName: '名'.repeat(60) })
    expect(again.statusCode).toBe(409)
    expect(again.body).not.toContain('请水务局核实东门水管漏水')
    expect(again.body).not.toContain('东门水管漏水，联系')
  })

  it('a multipart body that cannot be read (cut off, or without a boundary) is a 400, never a 500', async () => {
    const c = await acceptedCase('小区门禁坏了')
    const h = await handOff(ctx.t, c.id)
    const url = `/d/${h.secret}/answer`
    const cut = await app().inject({
      method: 'POST',
      url,
      headers: { accept: BROWSER_ACCEPT, 'content-type': 'multipart/form-data; boundary=XyZ' },
      payload: '--XyZ\r\nContent-Disposition: form-data; name="answer"\r\n\r\n已经处理好了门禁',
    })
    expect(cut.statusCode).toBe(400)
    const noBoundary = await app().inject({
      method: 'POST',
      url,
      headers: { accept: BROWSER_ACCEPT, 'content-type': 'multipart/form-data' },
      payload: 'answer=x',
    })
    expect(noBoundary.statusCode).toBe(400)
    expect((await handoffRow(h.id)).status).toBe('sent')
  })

  it.each([
    ['answer too short', 'answer', { answer: '好的', responderName: '张三' }, [], 'answer', '答复内容至少写5个字', ['>好的</textarea>', 'value="张三"']],
    ['answer too long', 'answer', { answer: '很'.repeat(2001) }, [], 'answer', '答复内容最多2000个字', [`>${'很'.repeat(2001)}</textarea>`]],
    [
      'not a photo',
      'answer',
      { answer: '已经现场查看并处理。' },
      ['bad'],
      'photo1',
      '第1张不是可识别的照片',
      ['>已经现场查看并处理。</textarea>', '请重新选择'],
    ],
    ['four photos', 'answer', { answer: '已经现场查看并处理。' }, ['ok', 'ok', 'ok', 'ok'], 'photos', '最多上传3张照片', ['>已经现场查看并处理。</textarea>']],
    ['no reason', 'return', { reason: ' ', suggestedDepartment: '水务局' }, [], 'reason', '请填写退回理由', ['value="水务局"']],
  ] as const)(
    '%s: 400 HTML with the message by its field and the text kept; nothing written',
    async (_name, action, fields, photoKinds, field, message, kept) => {
      const c = await acceptedCase('井盖缺失很危险')
      const h = await handOff(ctx.t, c.id)
      const photos = await Promise.all(photoKinds.map((k) => (k === 'ok' ? jpegWithGps(300, 200) : Promise.resolve(Buffer.alloc(4096, 0x4d)))))
      const files = await footprint(db(), ctx.t.app.services.blobs)
      const res = await post(h.secret, action, fields, photos)
      expect(res.statusCode).toBe(400)
      expect(res.headers['content-type']).toContain('text/html')
      expect(res.body).toContain(message)
      if (field !== 'photos') {
        expect(res.body).toContain(`<p class="error" id="${field}-error">${message}`)
        expect(res.body).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="${field}"`))
      }
      for (const k of kept) expect(res.body).toContain(k)
      expect((await handoffRow(h.id)).status).toBe('sent')
      expect(await footprint(db(), ctx.t.app.services.blobs)).toEqual(files)
    },
  )

  it('every open is audit-logged (page and each post), with the IP and never the secret', async () => {
    const c = await acceptedCase('小区门口的减速带松动')
    const h = await handOff(ctx.t, c.id)
    await open(h.secret)
    await open(h.secret)
    await post(h.secret, 'acknowledge')
    await post(h.secret, 'answer', { answer: '短' })
    await post(h.secret, 'answer', { answer: '已安排维修减速带。' })
    await open(h.secret)
    expect(await opens(h.id)).toBe(6)
    const rows = await db().select().from(auditLog).where(eq(auditLog.targetId, h.id))
    expect(rows.map((r) => r.action).sort()).toEqual([...Array(6).fill('handoff.link_opened'), 'handoff.acknowledge', 'handoff.answer'].sort())
    expect(rows.every((r) => r.actorIp === '127.0.0.1')).toBe(true)
    expect(JSON.stringify(rows)).not.toContain(h.secret)
    // Photo loads are not audited one by one.
    expect((await app().inject({ url: `/d/${h.secret}/photos/00000000-0000-4000-8000-000000000000` })).statusCode).toBe(404)
    expect(await opens(h.id)).toBe(6)
  })

  it("photos: the case's resident photos load; internal notes' and other cases' photos are 404", async () => {
    const photo = await jpegWithGps(800, 600)
    const sub = await postCase(app(), { code: ctx.refs.memberCode, description: uniqueText('人行道地砖翘起绊倒老人'), confirmNew: 'on' }, [
      { name: 'photo1', data: photo },
    ])
    expect(sub.statusCode, sub.body).toBe(201)
    const [row] = await db().select({ id: cases.id }).from(cases).where(eq(cases.publicNo, sub.json().publicNo))
    const other = await postCase(app(), { code: ctx.refs.memberCode, description: uniqueText('别处的垃圾桶满了'), confirmNew: 'on' }, [
      { name: 'photo1', data: photo },
    ])
    const [otherRow] = await db().select({ id: cases.id }).from(cases).where(eq(cases.publicNo, other.json().publicNo))
    const wang = await signIn(app(), 'wangjianguo')
    await wang.ok(row!.id, { type: 'accept' })
    const form = new FormData()
    form.append('action', JSON.stringify({ type: 'note', opId: crypto.randomUUID(), baseVersion: (await wang.detail(row!.id)).version, body: '内部照片' }))
    form.append('photo1', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'n.jpg')
    expect((await app().inject({ method: 'POST', url: `/api/v1/cases/${row!.id}/actions/with-photos`, headers: wang.headers, payload: form })).statusCode).toBe(
      200,
    )
    const all = await db()
      .select({ id: attachment.id, caseId: attachment.caseId, type: caseEvent.type })
      .from(attachment)
      .innerJoin(caseEvent, eq(caseEvent.id, attachment.eventId))
    const resident = all.find((a) => a.caseId === row!.id && a.type === 'submitted')!
    const note = all.find((a) => a.caseId === row!.id && a.type === 'note')!
    const elsewhere = all.find((a) => a.caseId === otherRow!.id)!

    const h = await handOff(ctx.t, row!.id)
    const page = await open(h.secret)
    expect(page.body).toContain(`/d/${h.secret}/photos/${resident.id}`)
    expect(page.body).not.toContain(note.id)
    const ok = await app().inject({ url: `/d/${h.secret}/photos/${resident.id}` })
    expect(ok.statusCode).toBe(200)
    expect(ok.headers['content-type']).toBe('image/jpeg')
    expect(ok.headers['cache-control']).toBe('no-store')
    expect((await sharp(ok.rawPayload).metadata()).exif).toBeUndefined()
    for (const id of [note.id, elsewhere.id, 'not-a-uuid']) {
      expect((await app().inject({ url: `/d/${h.secret}/photos/${id}` })).statusCode, id).toBe(404)
    }
  })

  it('the deadline shows in Beijing time, in red once overdue', async () => {
    const c = await acceptedCase('公园的健身器材坏了')
    const late = await handOff(ctx.t, c.id, { dueAt: new Date('2026-11-20T10:00:00Z') })
    expect((await open(late.secret)).body).toContain('<span class="overdue">2026年11月20日 18:00（已超期，仍可答复）')
    const onTime = await handOff(ctx.t, c.id, { dueAt: new Date('2027-01-08T10:00:00Z') })
    const page = (await open(onTime.secret)).body
    expect(page).toContain('2027年1月8日 18:00')
    expect(page).not.toContain('class="overdue"')
  })

  it('the last open hand-off answered resumes a paused resolve clock; one still open keeps it paused', async () => {
    const c = await acceptedCase('小区二次供水水压太低')
    const first = await handOff(ctx.t, c.id)
    const second = await handOff(ctx.t, c.id)
    const pausedAt = ctx.t.clock.now()
    const due = (await caseRow(c.id)).resolveDueAt!
    await db().update(cases).set({ resolvePausedAt: pausedAt }).where(eq(cases.id, c.id))
    ctx.t.clock.advanceMinutes(120)
    expect((await post(first.secret, 'answer', { answer: '已检查加压泵，正在维修。' })).statusCode).toBe(303)
    expect(await caseRow(c.id)).toMatchObject({ resolvePausedAt: pausedAt, resolveDueAt: due })
    expect((await post(second.secret, 'return', { reason: '供水不归本局' })).statusCode).toBe(303)
    expect(await caseRow(c.id)).toMatchObject({ resolvePausedAt: null, resolveDueAt: new Date(due.getTime() + 120 * 60_000) })
  })

  it('a member acting at the same moment does not lose the reply: it is applied again on the new version', async () => {
    const c = await acceptedCase('楼顶防水层漏水')
    const h = await handOff(ctx.t, c.id)
    const wang = await signIn(app(), 'wangjianguo')
    const t = ctx.t
    const repo = createDepartmentLinkRepo(db())
    let raced = false
    // Between reading the case and writing, the member adds a note (the case's version moves on).
    const racing = {
      ...repo,
      async findBySecretHash(hash: string) {
        const row = await repo.findBySecretHash(hash)
        if (!raced) {
          raced = true
          await wang.ok(c.id, { type: 'note', body: '同时写的备注' })
        }
        return row
      },
    }
    const service = createDepartmentLinkService({
      db: db(),
      repo: racing,
      cases: createCasesRepo(db()),
      audit: t.app.services.audit,
      clock: t.clock,
      notices: createNoticePlanner(),
      onNotices: () => {},
      photos: createPhotoStore({ blobs: t.app.services.blobs, clock: t.clock }),
      blobs: t.app.services.blobs,
    })
    const outcome = await service.act(h.secret, 'answer', { fields: { answer: '已派人检修防水层。' }, photos: [], oversized: [] }, '127.0.0.1')
    expect(outcome).toMatchObject({ kind: 'done', replayed: false })
    expect(await events(c.id, 'handoff_answered')).toHaveLength(1)
    expect(await events(c.id, 'note')).toHaveLength(1)
    expect((await handoffRow(h.id)).status).toBe('answered')
  })
})
