import { useEffect, useState } from 'preact/hooks'
import type { CaseDetail } from '@mashangjian/shared'
import { adminApi } from '../admin-api'
import { dt } from '../desk-text'

/**
 * Photos whose URL needs the bearer token: each is fetched through the data client as bytes and shown from an
 * object URL (revoked when the photos change or the page closes); null for one that failed, until all are tried.
 */
export function useAuthedPhotos(photos: { id: string; path: string; mime?: string }[]): { urls: (string | null)[]; done: boolean } {
  const [urls, setUrls] = useState<(string | null)[]>([])
  const [done, setDone] = useState(false)
  const ids = photos.map((p) => p.id).join()
  useEffect(() => {
    let live = true
    let made: (string | null)[] = []
    setDone(false)
    void Promise.all(
      photos.map(async (p) => {
        try {
          const bytes = await adminApi.get<ArrayBuffer>(p.path)
          return URL.createObjectURL(new Blob([bytes], p.mime ? { type: p.mime } : {}))
        } catch {
          return null
        }
      }),
    ).then((u) => {
      made = u
      if (live) {
        setUrls(u)
        setDone(true)
      } else u.forEach((x) => x && URL.revokeObjectURL(x))
    })
    return () => {
      live = false
      made.forEach((x) => x && URL.revokeObjectURL(x))
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the ids name the photos; the photo objects are new on every render
  }, [ids])
  return { urls, done }
}

/** The case's photos. */
export function DeskPhotos({ attachments }: { attachments: CaseDetail['attachments'] }) {
  const { urls, done } = useAuthedPhotos(attachments.map((a) => ({ id: a.id, path: `/api/v1/attachments/${a.id}`, mime: a.mime })))
  if (attachments.length === 0) return null
  return (
    <section aria-labelledby="desk-photos">
      <h3 id="desk-photos">{dt.photos}</h3>
      <div class="photos">
        {attachments.map((a, i) =>
          urls[i] ? (
            <img
              key={a.id}
              src={urls[i]!}
              alt={dt.photoAlt(i + 1)}
              width={a.width ?? undefined}
              height={a.height ?? undefined}
              loading="lazy"
              data-testid="desk-photo"
            />
          ) : (
            <span key={a.id} class="photo-missing">
              {done ? dt.photoFailed : '…'}
            </span>
          ),
        )}
      </div>
    </section>
  )
}
