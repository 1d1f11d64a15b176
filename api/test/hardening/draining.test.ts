import type { IncomingMessage } from 'node:http'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createTestApp } from '../support/test-app'

/**
 * Issue 17, graceful shutdown: a request running when close() begins finishes normally; a request that still
 * arrives on that connection (pipelined behind it) gets a 503 through the one error path — problem+json with
 * Retry-After for a script, an HTML page for a browser — and `Connection: close`. Fastify's own answer was plain
 * JSON without Retry-After.
 */
async function closeDuring(pipelined: string): Promise<string[]> {
  const t = await createTestApp()
  try {
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const port = (t.app.server.address() as AddressInfo).port
    const body = JSON.stringify({ username: 'nobody-here', password: 'not-the-password' })
    let first: IncomingMessage | undefined
    t.app.server.once('request', (req) => (first = req))
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (d) => chunks.push(d))
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()))
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
    // The first request's headers and half its body: it is in flight when the server starts closing.
    socket.write(
      ['POST /api/v1/auth/login HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', `Content-Length: ${body.length}`, '', ''].join('\r\n') +
        body.slice(0, 10),
    )
    // The request is past its hooks once Fastify reads its body (a 'data' listener); wait for that, not for a time.
    await expect.poll(() => first?.listenerCount('data') ?? 0).toBeGreaterThan(0)
    const closing = t.app.close()
    // Draining has begun (preClose): the rest of the body, and a request pipelined behind it.
    socket.write(body.slice(10) + pipelined)
    await closed
    await closing
    return Buffer.concat(chunks)
      .toString('utf8')
      .split(/(?=HTTP\/1\.1 \d{3})/)
  } finally {
    await t.close()
  }
}

describe('closing while requests are in flight', () => {
  it('finishes the running request and answers a pipelined script request with problem+json 503 and Retry-After', async () => {
    const responses = await closeDuring(['GET /api/v1/me HTTP/1.1', 'Host: 127.0.0.1', 'Accept: application/json', '', ''].join('\r\n'))
    // The running request is answered as usual (a wrong password: 401 problem+json); the 503 behind it is the
    // connection's last answer, so it is the one that says `Connection: close`.
    expect(responses[0]).toMatch(/^HTTP\/1\.1 401/)
    expect(responses[0]).not.toMatch(/connection: close/i)
    expect(responses[1]).toMatch(/^HTTP\/1\.1 503/)
    expect(responses[1]).toMatch(/content-type: application\/problem\+json/i)
    expect(responses[1]).toMatch(/retry-after: 5/i)
    expect(responses[1]).toMatch(/connection: close/i)
    expect(responses[1]).toContain('"code":"SERVICE_UNAVAILABLE"')
  })

  it("marks the running request's answer `Connection: close` when nothing follows it, and then ends the connection", async () => {
    // closeDuring returns once the server has closed the socket: without the header it would stay open, idle.
    const responses = await closeDuring('')
    expect(responses).toHaveLength(1)
    expect(responses[0]).toMatch(/^HTTP\/1\.1 401/)
    expect(responses[0]).toMatch(/connection: close/i)
  })

  it("answers a browser's page request with an HTML 503 page", async () => {
    const responses = await closeDuring(['GET /q/NOSUCHCODE HTTP/1.1', 'Host: 127.0.0.1', 'Accept: text/html', '', ''].join('\r\n'))
    expect(responses[0]).toMatch(/^HTTP\/1\.1 401/)
    expect(responses[1]).toMatch(/^HTTP\/1\.1 503/)
    expect(responses[1]).toMatch(/content-type: text\/html/i)
    expect(responses[1]).toMatch(/retry-after: 5/i)
    expect(responses[1]).toContain('<html')
  })
})

describe('idle keep-alive connections at shutdown', () => {
  it('are ended politely (FIN, no reset) when closing begins', async () => {
    const t = await createTestApp()
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' })
      const port = (t.app.server.address() as AddressInfo).port
      const socket = connect(port, '127.0.0.1')
      let received = ''
      const errors: string[] = []
      socket.on('data', (d) => (received += d.toString('utf8')))
      socket.on('error', (err: NodeJS.ErrnoException) => errors.push(err.code ?? err.message))
      const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()))
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
      // One complete keep-alive exchange: the connection is then idle, as a browser's pooled connection is.
      socket.write(['GET /healthz HTTP/1.1', 'Host: 127.0.0.1', 'Accept: application/json', '', ''].join('\r\n'))
      await expect.poll(() => received).toMatch(/^HTTP\/1\.1 200[\s\S]*\r\n\r\n\{/)
      expect(received).not.toMatch(/connection: close/i)
      await t.app.close()
      // The server's end of the connection is closed with FIN (the client reads "end"), never reset (ECONNRESET).
      await ended
      socket.end()
      await closed
      expect(errors).toEqual([])
    } finally {
      await t.close()
    }
  })
})
