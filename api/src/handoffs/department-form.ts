import type { FastifyRequest } from 'fastify'
import type {} from '@fastify/multipart'
import { MULTIPART_LIMITS } from '../public/submission-parser'

export interface DepartmentForm {
  fields: Record<string, string>
  photos: { index: number; data: Buffer }[]
  /** Photos cut off at the size limit, by their position (1-based). */
  oversized: number[]
}

/**
 * A department's form post: multipart from the answer form (up to 3 photos), or plain urlencoded (签收, 退回, or an
 * answer without photos). Empty file inputs are skipped; an oversized photo is drained and reported by position
 * rather than failing the whole post, so the typed answer survives.
 */
export async function readDepartmentForm(request: FastifyRequest): Promise<DepartmentForm> {
  if (!request.isMultipart()) {
    const body = (request.body ?? {}) as Record<string, unknown>
    const fields: Record<string, string> = {}
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') fields[k] = v
    return { fields, photos: [], oversized: [] }
  }
  const fields: Record<string, string> = {}
  const photos: DepartmentForm['photos'] = []
  const oversized: number[] = []
  let position = 0
  for await (const part of request.parts({ limits: MULTIPART_LIMITS })) {
    if (part.type === 'field') {
      if (typeof part.value === 'string' && !(part.fieldname in fields)) fields[part.fieldname] = part.value
      continue
    }
    const data = await part.toBuffer()
    if (part.file.truncated) {
      oversized.push(++position)
      continue
    }
    if (data.length === 0 && !part.filename) continue // an input left empty
    photos.push({ index: ++position, data })
  }
  return { fields, photos, oversized }
}
