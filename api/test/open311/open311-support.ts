import type { LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'

/** application/x-www-form-urlencoded, as GeoReport v2 clients POST. */
export const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
})

/** The spec's JSON error shape: `[{code, description}]`, the code repeating the HTTP status. */
export function jsonError(res: LightMyRequestResponse, status: number): string {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.headers['content-type']).toMatch(/^application\/json/)
  const body = res.json<{ code: number; description: string }[]>()
  expect(body).toHaveLength(1)
  expect(body[0]).toEqual({ code: status, description: expect.any(String) })
  expect(Object.keys(body[0]!).sort()).toEqual(['code', 'description'])
  return body[0]!.description
}

/** The spec's XML error shape: `<errors><error><code/><description/></error></errors>` after the UTF-8 declaration. */
export function xmlError(res: LightMyRequestResponse, status: number): string {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.headers['content-type']).toMatch(/^text\/xml/)
  expect(res.body).toMatch(
    new RegExp(`^<\\?xml version="1\\.0" encoding="UTF-8"\\?>\\n<errors><error><code>${status}</code><description>[^<]+</description></error></errors>$`),
  )
  return /<description>([^<]+)<\/description>/.exec(res.body)![1]!
}

/** Text of every `<name>` element in order (our XML has no attributes, so a regex reads it exactly). */
export const xmlTexts = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]!)
