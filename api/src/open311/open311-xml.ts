/*
 * GeoReport v2 XML, written by hand: the documents are a few flat element lists (no attributes, no namespaces),
 * and no XML builder is among the dependencies. A value maps to elements this way: a scalar is one element with
 * its text escaped; an object is an element holding one child per key; an array repeats the element once per
 * item (so `{ service: [a, b] }` inside <services> gives <service>…</service><service>…</service>); null and
 * undefined leave the element out, as the spec's optional fields are simply absent.
 */

export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [name: string]: XmlValue }

/** Characters XML 1.0 forbids even escaped (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF): dropped. */
// eslint-disable-next-line no-control-regex -- matching the control characters XML forbids is the point
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

export function escapeXml(text: string): string {
  return text.replace(INVALID, '').replace(/[&<>"']/g, (c) => ENTITIES[c]!)
}

/** Element names come from our code only; this guards against a typo producing a broken document. */
const NAME = /^[A-Za-z_][\w.-]*$/

export function xmlElement(name: string, value: XmlValue): string {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`)
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.map((v) => xmlElement(name, v)).join('')
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => xmlElement(k, v))
      .join('')}</${name}>`
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`
}

/** A whole document: the declaration with its encoding, as the spec requires, then the root element. */
export function xmlDocument(root: string, value: XmlValue): string {
  const body = xmlElement(root, value)
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body || `<${root}></${root}>`}`
}
