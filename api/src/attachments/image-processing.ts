import { createHash } from 'node:crypto'
import { loadSharp } from '../lazy-libraries'

export const MAX_IMAGE_BYTES = 8 * 1024 * 1024
export const MAX_IMAGES = 3
const MAX_EDGE = 1600
/** Formats phones produce that the bundled libvips decodes; the upload's name and declared type are ignored. */
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff'])

export class ImageRejected extends Error {
  constructor(readonly reason: 'type' | 'size') {
    super(`image rejected: ${reason}`)
  }
}

export interface ProcessedImage {
  buffer: Buffer
  mime: 'image/jpeg'
  width: number
  height: number
  sha256: string
}

/**
 * Sniffs an upload by its content and re-encodes it: upright, at most 1600 px on the long edge, JPEG, with every
 * piece of metadata (EXIF, GPS, XMP, ICC comments) dropped — sharp writes none unless asked to keep it.
 */
export async function reencodeImage(input: Buffer): Promise<ProcessedImage> {
  if (input.length > MAX_IMAGE_BYTES) throw new ImageRejected('size')
  const options = { limitInputPixels: 60_000_000, failOn: 'error' as const }
  const sharp = await loadSharp()
  let format: string | undefined
  try {
    format = (await sharp(input, options).metadata()).format
  } catch {
    throw new ImageRejected('type')
  }
  if (!format || !ACCEPTED_FORMATS.has(format)) throw new ImageRejected('type')
  try {
    const { data, info } = await sharp(input, options)
      .rotate()
      .resize({ width: MAX_EDGE, height: MAX_EDGE, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 80, mozjpeg: true })
      .toBuffer({ resolveWithObject: true })
    return { buffer: data, mime: 'image/jpeg', width: info.width, height: info.height, sha256: createHash('sha256').update(data).digest('hex') }
  } catch {
    // e.g. an HEIC photo: the prebuilt libvips has no HEVC decoder.
    throw new ImageRejected('type')
  }
}

/** Re-encodes each upload in order; the refused ones come back with why, the caller says which field that is. */
export async function reencodeEach<T extends { data: Buffer }>(
  items: T[],
): Promise<{ images: ProcessedImage[]; rejected: { item: T; reason: ImageRejected['reason'] }[] }> {
  const images: ProcessedImage[] = []
  const rejected: { item: T; reason: ImageRejected['reason'] }[] = []
  for (const item of items) {
    try {
      images.push(await reencodeImage(item.data))
    } catch (err) {
      if (!(err instanceof ImageRejected)) throw err
      rejected.push({ item, reason: err.reason })
    }
  }
  return { images, rejected }
}
