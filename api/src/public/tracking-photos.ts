import { loadSharp } from '../lazy-libraries'
import { and, asc, eq, or } from 'drizzle-orm'
import type { Db } from '../db/database'
import { attachment, caseEvent } from '../db/schema'
import type { BlobStore } from '../attachments/blob-store'

/** A photo the tracking page shows: whose it is (for the generated alt text) and what the uploader said it shows. */
export interface TrackingPhoto {
  id: string
  by: 'resident' | 'member'
  altText: string | null
  width: number | null
  height: number | null
}

/** Widths the page asks for; anything else is rounded up to one of them, so few variants are ever made. */
export const PHOTO_WIDTHS = [320, 640] as const
export const MAX_PHOTO_WIDTH = 640

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Which photos of a case its tracking link may show (issue 16). The submitter sees their own photos: those of
 * their public resident events (the submission and their follow-ups; a joined neighbour's photos sit on an
 * internal event and stay out). Whoever holds the link — submitter or follower — sees the member's photos marked
 * public, and only from public events (an internal note's photo never leaves the staff side, even if marked).
 */
export async function visiblePhotos(db: Db, caseId: string, includeResidentPhotos: boolean): Promise<TrackingPhoto[]> {
  const residents = and(eq(caseEvent.actorKind, 'resident'), eq(caseEvent.visibility, 'public'))
  const marked = and(eq(attachment.public, true), eq(caseEvent.visibility, 'public'))
  const rows = await db
    .select({
      id: attachment.id,
      actorKind: caseEvent.actorKind,
      altText: attachment.altText,
      width: attachment.width,
      height: attachment.height,
    })
    .from(attachment)
    .innerJoin(caseEvent, eq(caseEvent.id, attachment.eventId))
    .where(and(eq(attachment.caseId, caseId), includeResidentPhotos ? or(residents, marked) : marked))
    .orderBy(asc(caseEvent.id), asc(attachment.createdAt), asc(attachment.id))
  return rows.map((r) => ({ id: r.id, by: r.actorKind === 'resident' ? 'resident' : 'member', altText: r.altText, width: r.width, height: r.height }))
}

/** The stored photo's key, if `id` is one of the visible photos of the case. */
async function storageKeyOf(db: Db, caseId: string, id: string, visible: TrackingPhoto[]): Promise<string | undefined> {
  if (!UUID.test(id) || !visible.some((p) => p.id === id)) return undefined
  const [row] = await db
    .select({ key: attachment.storageKey })
    .from(attachment)
    .where(and(eq(attachment.id, id), eq(attachment.caseId, caseId)))
  return row?.key
}

/**
 * A downscaled copy for a phone's screen (≤ 640 px wide, JPEG). Made on request: the stored photo is at most
 * 1600 px and already stripped of metadata, so this is quick; the browser keeps it (private cache).
 */
export function createTrackingPhotos({ db, blobs }: { db: Db; blobs: BlobStore }) {
  return {
    /** `own`: the link is the submitter's (their own photos too), else a follower's (the member's public ones only). */
    async downscaled(caseId: string, own: boolean, id: string, width: number): Promise<Buffer | undefined> {
      const key = await storageKeyOf(db, caseId, id, await visiblePhotos(db, caseId, own))
      const data = key ? await blobs.get(key) : undefined
      if (!data) return undefined
      const w = PHOTO_WIDTHS.find((x) => x >= width) ?? MAX_PHOTO_WIDTH
      const sharp = await loadSharp()
      return sharp(data, { failOn: 'error' }).resize({ width: w, withoutEnlargement: true }).jpeg({ quality: 75, mozjpeg: true }).toBuffer()
    },
  }
}
export type TrackingPhotos = ReturnType<typeof createTrackingPhotos>
