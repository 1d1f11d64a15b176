import { loadSharp } from '../lazy-libraries'
import type { BlobStore } from '../attachments/blob-store'
import type { PanelDesign } from './placard-layouts'

/** One size per design, about 200–230 dpi in its photo box (poster 46 × 57.5 mm, tent 22 × 27.5, card 14 × 17.5). */
export type PhotoSize = PanelDesign
const PIXELS: Record<PhotoSize, { width: number; height: number }> = {
  poster: { width: 360, height: 450 },
  tent: { width: 200, height: 250 },
  card: { width: 128, height: 160 },
}

/**
 * Members' portraits cut to the placard's 4:5 box and sized for print. Stored portraits are up to 1600 px; one
 * embedded as is would make a 500-card PDF hundreds of megabytes, and resizing each time would dominate the time
 * to print. So each size is made once and kept in the blob store beside the original (photo keys are never reused:
 * a new portrait gets a new key, so a kept copy never goes stale). A missing or unreadable portrait gives undefined
 * and the placard is printed without one.
 */
export function createPlacardPhotos(blobs: BlobStore) {
  const derivedKey = (photoKey: string, size: PhotoSize) => `placard-photos/${size}/${photoKey}`.replace(/\.[a-z0-9]+$/i, '.jpg')

  return {
    async get(photoKey: string, size: PhotoSize): Promise<Buffer | undefined> {
      const key = derivedKey(photoKey, size)
      const kept = await blobs.get(key).catch(() => undefined)
      if (kept) return kept
      const original = await blobs.get(photoKey).catch(() => undefined)
      if (!original) return undefined
      const sharp = await loadSharp()
      let resized: Buffer
      try {
        resized = await sharp(original, { failOn: 'error' })
          .rotate()
          .resize({ ...PIXELS[size], fit: 'cover', position: sharp.strategy.attention })
          .jpeg({ quality: 80, progressive: false })
          .toBuffer()
      } catch {
        return undefined
      }
      // Two prints at once may both make it; the second put finds the file there (`wx`), which is fine.
      await blobs.put(key, resized).catch(() => {})
      return resized
    },
  }
}
export type PlacardPhotos = ReturnType<typeof createPlacardPhotos>
