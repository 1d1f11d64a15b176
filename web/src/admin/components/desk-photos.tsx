import { useEffect, useState } from 'preact/hooks'
import type { CaseDetail } from '@mashangjian/shared'
import { adminApi } from '../admin-api'
import { dt } from '../desk-text'

/**
 * The case's photos. The attachment URL needs the bearer token, so each is fetched through the data client as
 * bytes and shown from an object URL (revoked when the case changes or the page closes).
 */
export function DeskPhotos({ attachments }: { attachments: CaseDetail['attachments'] }) {
  const [urls, setUrls] = useState<(string | null)[]>([])
  const ids = attachments.map((a) => a.id).join()
  useEffect(() => {
    let live = true
    let made: (string | null)[] = []
    void Promise.all(attachments.map(async (a) => {
      try {
        const bytes = await adminApi.get<ArrayBuffer>(`/api/v1/attachments/${a.id}`)
        return URL.createObjectURL(new Blob([bytes], { type: a.mime }))
      } catch {
        return null
      }
    })).then((u) => {
      made = u
      if (live) setUrls(u)
      else u.forEach((x) => x && URL.revokeObjectURL(x))
    })
    return () => {
      live = false
      made.forEach((x) => x && URL.revokeObjectURL(x))
    }
  }, [ids])
  if (attachments.length === 0) return null
  return (
    <section aria-labelledby="desk-photos">
      <h3 id="desk-photos">{dt.photos}</h3>
      <div class="photos">
        {attachments.map((a, i) => urls[i]
          ? <img key={a.id} src={urls[i]!} alt={dt.photoAlt(i + 1)} width={a.width ?? undefined} height={a.height ?? undefined} loading="lazy" data-testid="desk-photo" />
          : <span key={a.id} class="photo-missing">{urls.length ? dt.photoFailed : '…'}</span>)}
      </div>
    </section>
  )
}
