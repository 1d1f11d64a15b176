import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { notification } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { startSmsGateway } from '../support/sms-gateway'
import { rate, signIn, submitCase, uniqueText } from '../support/case-actions'

// A stand-in SMS gateway on loopback: the webhook notifier posts `{to, text, caseId}` here.
const { url: smsUrl, received } = await startSmsGateway()

const ctx = withDemoApp({ notifyWebhookUrl: smsUrl })
const messagesFor = async (caseId: string, n: number) => {
  const deadline = Date.now() + 30_000
  while (received.filter((m) => m.caseId === caseId).length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  return received.filter((m) => m.caseId === caseId)
}

describe('residents who left a phone number hear about their case', () => {
  it('on receipt, acceptance and resolution (please rate), in their language; nothing for internal notes', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('小区门口的斑马线磨没了，车不让人'), { phone: '13712345678', consent: 'on' })
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    await wang.ok(c.id, { type: 'note', body: '内部记录：已联系交警大队' })
    await wang.ok(c.id, { type: 'resolve', reply: '交警大队已重新施划斑马线' })
    const sms = await messagesFor(c.id, 3)
    expect(sms.map((m) => m.to)).toEqual(['13712345678', '13712345678', '13712345678'])
    expect(sms[0]!.text).toContain(c.publicNo)
    expect(sms[1]!.text).toContain('王建国委员接单')
    expect(sms[2]!.text).toContain('已办结')
    expect(sms.some((m) => m.text.includes('内部记录'))).toBe(false)
    expect((await rate(ctx.t, c.trackingSecret, 'satisfied')).statusCode).toBe(200)
  })

  it('nothing is sent for a resident without a phone number', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('路边的垃圾桶太少，垃圾到处都是'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    // Notices are written in the action's transaction (notice-plan.ts): once it has answered, the absence of a row
    // for a resident is final, unlike the absence of a message after a fixed sleep.
    const planned = await ctx.t.database.db
      .select({ id: notification.id })
      .from(notification)
      .where(and(eq(notification.caseId, c.id), eq(notification.recipientKind, 'resident')))
    expect(planned).toEqual([])
    // The member's own notice was written in the same transactions, so the outbox did run for this case.
    expect((await ctx.t.database.db.select({ id: notification.id }).from(notification).where(eq(notification.caseId, c.id))).length).toBeGreaterThan(0)
    expect(received.filter((m) => m.caseId === c.id)).toEqual([])
  })
})
