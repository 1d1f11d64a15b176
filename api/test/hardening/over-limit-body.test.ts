import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app'

/**
 * Issue 18: an 11 MB JSON body (the limit is 1 MB in tests, 10 MB by default) got its 413 written and the socket
 * closed while the client was still sending, so a plain client (no `Expect: 100-continue`) saw a connection reset.
 * A raw socket writes the whole body before it reads anything, as such clients do.
 */
describe('an over-limit body', () => {
  let t: TestApp
  let port: number
  beforeAll(async () => {
    t = await createTestApp()
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    port = (t.app.server.address() as AddressInfo).port
  })
  afterAll(() => t.close())

  /** Sends headers and the whole body, then reads until the server closes; answers what came back or the socket error. */
  function rawPost(path: string, body: Buffer, headers: Record<string, string> = {}): Promise<{ response: string; error: string | null }> {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1')
      const chunks: Buffer[] = []
      let error: string | null = null
      socket.on('data', (d) => chunks.push(d))
      socket.on('error', (e: NodeJS.ErrnoException) => {
        error = e.code ?? e.message
      })
      socket.on('close', () => resolve({ response: Buffer.concat(chunks).toString('latin1'), error }))
      const head = [
        `POST ${path} HTTP/1.1`,
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        `Content-Length: ${body.length}`,
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
        '',
        '',
      ].join('\r\n')
      socket.write(head)
      socket.write(body)
    })
  }

  it('is answered 413 problem+json that the client can read, after it wrote the whole 11 MB', async () => {
    const body = Buffer.alloc(11 * 1024 * 1024, 'a')
    body.write('{"username":"', 0)
    const { response, error } = await rawPost('/api/v1/auth/login', body)
    expect(error).toBeNull()
    expect(response.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large')
    expect(response).toMatch(/content-type: application\/problem\+json/i)
    expect(response).toContain('"code":"PAYLOAD_TOO_LARGE"')
  })

  it('stays usable afterwards: the next request on a new connection is served', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`)
    expect(res.status).toBe(200)
  })
})
