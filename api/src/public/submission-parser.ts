import type { FastifyRequest } from 'fastify'
import type {} from '@fastify/multipart'
import { MAX_IMAGE_BYTES, MAX_IMAGES } from '../attachments/image-processing'
import type { RawSubmission, SubmissionIssue } from './submission-rules'

export interface ParsedSubmission {
  raw: RawSubmission
  photos: { index: number; data: Buffer }[]
  issues: SubmissionIssue[]
}

const TEXT_FIELDS = ['code', 'description', 'location', 'phone', 'consent', 'categoryId', 'memberId', 'website', 'confirmNew', 'joinCase', 'lang'] as const

function pickText(source: Record<string, unknown>): RawSubmission {
  const raw: Record<string, string | boolean> = {}
  for (const key of TEXT_FIELDS) {
    const v = source[key]
    if (typeof v === 'string' || typeof v === 'boolean') raw[key] = v
  }
  return raw as RawSubmission
}

/** Multipart limits: a few more files than allowed, so the 4th photo gets a clear message instead of a cut-off. */
export const MULTIPART_LIMITS = { fileSize: MAX_IMAGE_BYTES, files: MAX_IMAGES + 1, fields: 30, fieldSize: 16 * 1024, parts: 40 }

/**
 * One shape for the three ways a resident's submission arrives: a plain form post (multipart, works without
 * JavaScript), multipart from script, or JSON (no photos). Empty file inputs are skipped; an oversized photo is
 * drained and reported by its position instead of failing the whole request.
 */
export async function parseSubmission(request: FastifyRequest): Promise<ParsedSubmission> {
  if (!request.isMultipart()) {
    return { raw: pickText((request.body ?? {}) as Record<string, unknown>), photos: [], issues: [] }
  }
  const fields: Record<string, string> = {}
  const photos: ParsedSubmission['photos'] = []
  const issues: SubmissionIssue[] = []
  let position = 0
  for await (const part of request.parts({ limits: MULTIPART_LIMITS })) {
    if (part.type === 'field') {
      if (typeof part.value === 'string' && !(part.fieldname in fields)) fields[part.fieldname] = part.value
      continue
    }
    const data = await part.toBuffer()
    // Past the limit the stream was cut off (and the rest discarded): report that photo, keep the others.
    if (part.file.truncated) {
      position += 1
      issues.push({ field: `photo${position}`, key: 'error.photo.size', values: { n: position } })
      continue
    }
    if (data.length === 0 && !part.filename) continue // an input left empty
    position += 1
    photos.push({ index: position, data })
  }
  return { raw: pickText(fields), photos, issues }
}
