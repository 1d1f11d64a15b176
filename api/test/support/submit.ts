import { count } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { attachment, cases } from '../../src/db/schema'
import type { Db } from '../../src/db/database'
import type { BlobStore } from '../../src/attachments/blob-store'

export interface FileField {
  name: string
  data: Buffer
  filename?: string
  type?: string
}

export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

/** Posts the resident form as a browser (multipart, Accept: text/html) or as a script (Accept: JSON). */
export function postCase(
  app: FastifyInstance,
  fields: Record<string, string>,
  files: FileField[] = [],
  { html = false, query = '', headers = {} as Record<string, string> } = {},
) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  for (const f of files) form.append(f.name, new Blob([new Uint8Array(f.data)], { type: f.type ?? 'image/jpeg' }), f.filename ?? `${f.name}.jpg`)
  return app.inject({
    method: 'POST',
    url: `/api/v1/public/cases${query}`,
    payload: form,
    headers: { accept: html ? BROWSER_ACCEPT : 'application/json', ...headers },
  })
}

/** Cases, attachment rows and stored files: what must not change when a submission is refused. */
export async function footprint(db: Db, blobs: BlobStore) {
  // Through the app's own store, so the same checks hold on disk and on S3 (TEST_BLOB_STORE=s3).
  let files = 0
  for await (const _ of blobs.list()) files++
  return {
    cases: (await db.select({ n: count() }).from(cases))[0]!.n,
    attachments: (await db.select({ n: count() }).from(attachment))[0]!.n,
    files,
  }
}
