import type { FastifyRequest } from 'fastify'
import { readPhotoForm } from '../attachments/photo-form'
import type { RawSubmission, SubmissionIssue } from './submission-rules'

export interface ParsedSubmission {
  raw: RawSubmission
  photos: { index: number; data: Buffer }[]
  issues: SubmissionIssue[]
}

const TEXT_FIELDS = [
  'code',
  'description',
  'location',
  'phone',
  'consent',
  'categoryId',
  'memberId',
  'website',
  'confirmNew',
  'joinCase',
  'lang',
  'lat',
  'lng',
  'accuracy',
  'keptPhoto1',
  'keptPhoto2',
  'keptPhoto3',
  'seenDuplicate',
  'relang',
] as const

function pickText(source: Record<string, unknown>): RawSubmission {
  const raw: Record<string, string | boolean> = {}
  for (const key of TEXT_FIELDS) {
    const v = source[key]
    if (typeof v === 'string' || typeof v === 'boolean') raw[key] = v
    // JSON clients send coordinates as numbers.
    else if (typeof v === 'number' && Number.isFinite(v)) raw[key] = String(v)
  }
  return raw as RawSubmission
}

/**
 * One shape for the three ways a resident's submission arrives: a plain form post (multipart, works without
 * JavaScript), multipart from script, or JSON (no photos). Empty file inputs are skipped; an oversized photo is
 * drained and reported by its position instead of failing the whole request.
 */
export async function parseSubmission(request: FastifyRequest): Promise<ParsedSubmission> {
  if (!request.isMultipart()) {
    return { raw: pickText((request.body ?? {}) as Record<string, unknown>), photos: [], issues: [] }
  }
  const { fields, photos, oversized } = await readPhotoForm(request)
  const issues: SubmissionIssue[] = oversized.map((n) => ({ field: `photo${n}`, key: 'error.photo.size', values: { n } }))
  return { raw: pickText(fields), photos, issues }
}
