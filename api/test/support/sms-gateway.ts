import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll } from 'vitest'

export interface SmsMessage {
  to: string
  text: string
  caseId: string
}

/**
 * A stand-in SMS gateway on loopback for a test file: the webhook notifier (NOTIFY_WEBHOOK_URL) posts
 * `{to, text, caseId}` here and every message is kept in `received`. Closed after the file's tests.
 */
export async function startSmsGateway(): Promise<{ url: string; received: SmsMessage[] }> {
  const received: SmsMessage[] = []
  const gateway = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      received.push(JSON.parse(body) as SmsMessage)
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r))
  afterAll(() => new Promise<void>((r) => gateway.close(() => r())))
  return { url: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`, received }
}
