import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock'
import type { NewAttachment } from '../cases/cases-repo'
import type { BlobStore } from './blob-store'
import type { ProcessedImage } from './image-processing'

/**
 * Writes re-encoded photos before the transaction that records them, and removes them again if that
 * transaction fails or `keep` says the result did not use them: no file is ever left without its row.
 */
export function createPhotoStore({
  blobs,
  clock,
  prefix = 'cases',
}: {
  blobs: BlobStore
  clock: Clock
  /** First part of the storage keys: `cases`, `members`. */ prefix?: string
}) {
  const discard = (stored: NewAttachment[]) => Promise.all(stored.map((a) => blobs.remove(a.storageKey).catch(() => {})))

  async function store(images: ProcessedImage[]): Promise<NewAttachment[]> {
    const month = clock.now().toISOString().slice(0, 7).replace('-', '/')
    const stored: NewAttachment[] = []
    try {
      for (const img of images) {
        const storageKey = `${prefix}/${month}/${randomUUID()}.jpg`
        await blobs.put(storageKey, img.buffer)
        stored.push({ storageKey, mime: img.mime, bytes: img.buffer.length, width: img.width, height: img.height, sha256: img.sha256 })
      }
      return stored
    } catch (err) {
      await discard(stored)
      throw err
    }
  }

  return {
    async withPhotos<T>(images: ProcessedImage[], write: (attachments: NewAttachment[]) => Promise<T>, keep: (result: T) => boolean = () => true): Promise<T> {
      const attachments = await store(images)
      let result: T
      try {
        result = await write(attachments)
      } catch (err) {
        await discard(attachments)
        throw err
      }
      if (!keep(result)) await discard(attachments)
      return result
    },
  }
}
export type PhotoStore = ReturnType<typeof createPhotoStore>
