import sharp from 'sharp'

/** A real JPEG photo with camera EXIF and a GPS position, as phones produce. */
export function jpegWithGps(width = 2400, height = 1800): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 60, b: 60 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'X1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 0/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '104/1 38/1 0/1' },
    })
    .toBuffer()
}

/** Random bytes the size of a large photo: JPEG-named but not an image. */
export const notAnImage = (bytes: number) => Buffer.alloc(bytes, 0x4d)

/** A valid JPEG over 8 MB (noise does not compress). */
export async function hugeJpeg(): Promise<Buffer> {
  const w = 4000
  const h = 3000
  const noise = Buffer.alloc(w * h * 3)
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24
  return sharp(noise, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 100 })
    .toBuffer()
}
