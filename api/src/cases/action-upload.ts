import type { FastifyRequest } from 'fastify'
import type {} from '@fastify/multipart'
import { Compile } from 'typebox/compile'
import { CaseActionBody } from '@mashangjian/shared'
import { AppError, validationFailed } from '../errors/app-error'
import { MULTIPART_LIMITS } from '../attachments/photo-form'

const checkAction = Compile(CaseActionBody)

/**
 * An action sent with photos (the member app queues photos taken offline with their action): multipart with a
 * field `action` holding the same JSON as POST /actions, and up to three image files. Validated like the JSON
 * route; an oversized photo is named by its position. An optional field `public` ("true") marks the photos to be
 * shown on the resident's tracking page (issue 16; off unless the member ticks it, and only for a public event).
 */
export async function readActionUpload(request: FastifyRequest): Promise<{ action: CaseActionBody; photos: Buffer[]; photosPublic: boolean }> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send multipart/form-data with an `action` field and photo files.')
  let actionText: string | undefined
  let photosPublic = false
  const photos: Buffer[] = []
  for await (const part of request.parts({ limits: MULTIPART_LIMITS })) {
    if (part.type === 'field') {
      if (part.fieldname === 'action' && typeof part.value === 'string') actionText = part.value
      if (part.fieldname === 'public' && typeof part.value === 'string') photosPublic = part.value === 'true' || part.value === '1'
      continue
    }
    const data = await part.toBuffer()
    if (part.file.truncated) throw validationFailed([{ field: `body.photo${photos.length + 1}`, message: 'too large (at most 8 MB)', keyword: 'maxSize' }])
    if (data.length > 0) photos.push(data)
  }
  let action: unknown
  try {
    action = JSON.parse(actionText ?? '')
  } catch {
    throw validationFailed([{ field: 'body.action', message: 'must be the action as JSON', keyword: 'required' }])
  }
  if (!checkAction.Check(action)) {
    // The union reports every branch; the first error is the one that names the offending field best.
    const [first] = checkAction.Errors(action)
    throw validationFailed([
      { field: `body.action${(first?.instancePath ?? '').replaceAll('/', '.')}`, message: first?.message ?? 'is not a valid action', keyword: first?.keyword },
    ])
  }
  return { action, photos, photosPublic }
}
