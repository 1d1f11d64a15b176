import type { FastifyRequest } from 'fastify'
import type {} from '@fastify/multipart'
import { Compile } from 'typebox/compile'
import { MemberActivityBody } from '@mashangjian/shared'
import { validationFailed } from '../errors/app-error'
import { MULTIPART_LIMITS } from '../attachments/photo-form'

const checkBody = Compile(MemberActivityBody)

/**
 * A member's activity as the phone's outbox sends it: JSON, or multipart with a field `activity` holding the same
 * JSON and up to three image files (photo1–3). Validated like the JSON body; an oversized photo is named.
 */
export async function readActivityUpload(request: FastifyRequest): Promise<{ body: MemberActivityBody; photos: Buffer[] }> {
  if (!request.isMultipart()) {
    if (!checkBody.Check(request.body)) throw invalid(request.body)
    return { body: request.body, photos: [] }
  }
  let text: string | undefined
  const photos: Buffer[] = []
  for await (const part of request.parts({ limits: MULTIPART_LIMITS })) {
    if (part.type === 'field') {
      if (part.fieldname === 'activity' && typeof part.value === 'string') text = part.value
      continue
    }
    const data = await part.toBuffer()
    if (part.file.truncated) throw validationFailed([{ field: `body.photo${photos.length + 1}`, message: 'too large (at most 8 MB)', keyword: 'maxSize' }])
    if (data.length > 0) photos.push(data)
  }
  let body: unknown
  try {
    body = JSON.parse(text ?? '')
  } catch {
    throw validationFailed([{ field: 'body.activity', message: 'must be the activity as JSON', keyword: 'required' }])
  }
  if (!checkBody.Check(body)) throw invalid(body)
  return { body, photos }
}

function invalid(body: unknown) {
  const [first] = checkBody.Errors(body)
  return validationFailed([
    { field: `body${(first?.instancePath ?? '').replaceAll('/', '.')}`, message: first?.message ?? 'is not a valid activity', keyword: first?.keyword },
  ])
}
