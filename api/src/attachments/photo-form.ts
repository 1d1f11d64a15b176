import type { FastifyRequest } from 'fastify'
import type {} from '@fastify/multipart'
import { MAX_IMAGE_BYTES, MAX_IMAGES } from './image-processing'
import { AppError } from '../errors/app-error'

/** Multipart limits: a few more files than allowed, so the 4th photo gets a clear message instead of a cut-off. */
// fieldSize: busboy cuts a longer field silently; 32 KB lets a pasted ~10,000 Chinese characters arrive whole, so a
// too-long text is refused with its field message and shown again in full rather than cut.
export const MULTIPART_LIMITS = { fileSize: MAX_IMAGE_BYTES, files: MAX_IMAGES + 1, fields: 30, fieldSize: 32 * 1024, parts: 40 }

export interface PhotoForm {
  /** Text fields (the first value of each name). */
  fields: Record<string, string>
  /** Photos in the order chosen, with their position among the file inputs that were filled (1-based). */
  photos: { index: number; data: Buffer }[]
  /** Photos cut off at the size limit, by position: reported next to their input instead of failing the post. */
  oversized: number[]
}

/**
 * A browser form post with up to a few photos, as the pages that work without JavaScript send it (the resident's
 * submission, a department's answer): multipart, or plain urlencoded / JSON without photos. Empty file inputs are
 * skipped; an oversized photo is drained, so the typed text survives and the page can say which photo was too big.
 */
export async function readPhotoForm(request: FastifyRequest): Promise<PhotoForm> {
  if (!request.isMultipart()) {
    const fields: Record<string, string> = {}
    for (const [k, v] of Object.entries((request.body ?? {}) as Record<string, unknown>)) if (typeof v === 'string') fields[k] = v
    return { fields, photos: [], oversized: [] }
  }
  const fields: Record<string, string> = {}
  const photos: PhotoForm['photos'] = []
  const oversized: number[] = []
  let position = 0
  try {
    for await (const part of request.parts({ limits: MULTIPART_LIMITS })) {
      if (part.type === 'field') {
        if (typeof part.value === 'string' && !(part.fieldname in fields)) fields[part.fieldname] = part.value
        continue
      }
      const data = await part.toBuffer()
      // Past the limit the stream was cut off (and the rest discarded): report that photo, keep the others.
      if (part.file.truncated) {
        oversized.push(++position)
        continue
      }
      if (data.length === 0 && !part.filename) continue // an input left empty
      photos.push({ index: ++position, data })
    }
  } catch (err) {
    // Limits (too many files or fields) keep their own 413; a body that is not valid multipart (cut off, no
    // boundary) is the client's error, never a 500.
    if ((err as { statusCode?: number }).statusCode === 413) throw err
    throw new AppError('MALFORMED_REQUEST', `The form data could not be read: ${(err as Error).message}`)
  }
  return { fields, photos, oversized }
}
