import type { FastifyReply, FastifyRequest } from 'fastify'
import { xmlDocument, type XmlValue } from './open311-xml'

/** The two formats GeoReport v2 defines; XML is the required one, so it is also the default. */
export type Open311Format = 'json' | 'xml'

/**
 * The format of a request: the path's suffix (`services.json`) as the spec says; without one, the Accept header
 * (application/json → JSON), else XML.
 */
export function formatOf(suffix: string | undefined, request: FastifyRequest): Open311Format {
  if (suffix === 'json' || suffix === 'xml') return suffix
  return /\bapplication\/json\b/.test(request.headers.accept ?? '') ? 'json' : 'xml'
}

/** `LX-2026-000123.json` → id and suffix; an unknown suffix stays part of the id (and so finds nothing). */
export function splitFile(file: string): { id: string; suffix?: Open311Format } {
  const m = /^(.*)\.(json|xml)$/.exec(file)
  return m ? { id: m[1]!, suffix: m[2] as Open311Format } : { id: file }
}

/**
 * A GeoReport error (spec: "Errors"): an HTTP status and a description, answered as `[{code, description}]` or
 * `<errors><error><code/><description/></error></errors>`; `code` repeats the HTTP status, as the spec's examples do.
 */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description)
    this.name = 'Open311Error'
  }
}

/**
 * One answer in the requested format. `xml` names the root and the repeated child (`services`/`service`,
 * `service_requests`/`request`); JSON is the plain array (or object, for discovery and service definitions).
 */
export function sendOpen311(
  reply: FastifyReply,
  format: Open311Format,
  body: unknown,
  xml: { root: string; item?: string; value?: XmlValue },
  status = 200,
): FastifyReply {
  reply.code(status).header('cache-control', 'no-store')
  if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(body))
  // `value`: where the XML nests differently from the JSON (discovery's <endpoints><endpoint>, <attributes>).
  const value = xml.value ?? ((xml.item ? { [xml.item]: body } : body) as XmlValue)
  return reply.type('text/xml; charset=utf-8').send(xmlDocument(xml.root, value))
}

export function sendOpen311Errors(reply: FastifyReply, format: Open311Format, errors: { code: number; description: string }[], status: number): FastifyReply {
  return sendOpen311(reply, format, errors, { root: 'errors', item: 'error' }, status)
}
