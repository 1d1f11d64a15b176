import { useEffect, useState } from 'preact/hooks'
import type { CaseDetail } from '@mashangjian/shared'
import { data } from '../data'
import { t } from '../i18n'

/**
 * Object URLs of photos kept on the device (downloaded with the case, so they show offline too), in the order of
 * `ids`; null for one that is not on the device. Revoked when the photos change or the component goes.
 */
export function useKeptPhotos(ids: string[]): (string | null)[] {
  const [urls, setUrls] = useState<(string | null)[]>([])
  useEffect(() => {
    let made: (string | null)[] = []
    let live = true
    void Promise.all(ids.map((id) => data.photoUrl(id))).then((u) => {
      made = u
      if (live) setUrls(u)
      else u.forEach((x) => x && URL.revokeObjectURL(x))
    })
    return () => {
      live = false
      made.forEach((x) => x && URL.revokeObjectURL(x))
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the ids name the photos; the array is new on every render
  }, [ids.join()])
  return urls
}

/** The case's photos from the device. */
export function CasePhotos({ attachments }: { attachments: CaseDetail['attachments'] }) {
  const urls = useKeptPhotos(attachments.map((a) => a.id))
  if (attachments.length === 0) return null
  return (
    <section aria-label={t.photos}>
      <h3>{t.photos}</h3>
      <div class="photos">
        {attachments.map((a, i) =>
          urls[i] ? (
            <img key={a.id} src={urls[i]!} alt={`${t.photos} ${i + 1}`} width={a.width ?? undefined} height={a.height ?? undefined} loading="lazy" />
          ) : (
            <span key={a.id} class="photo-missing">
              {t.photoNotOnDevice}
            </span>
          ),
        )}
      </div>
    </section>
  )
}
