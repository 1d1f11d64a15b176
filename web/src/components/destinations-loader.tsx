import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { CaseDestinations } from '@mashangjian/shared'
import { data } from '../data'
import { dateTime, errorText } from '../i18n'

export type LoadedDestinations = Awaited<ReturnType<typeof data.destinations>>

/**
 * Where the case may go (转办's stations and members, 交办's departments), for a sheet: read online when the sheet
 * opens, else as kept with the case on this device.
 */
export function useDestinations(caseId: string): { loaded?: LoadedDestinations; error?: unknown } {
  const [state, setState] = useState<{ loaded?: LoadedDestinations; error?: unknown }>({})
  useEffect(() => {
    let live = true
    data.destinations(caseId).then(
      (loaded) => live && setState({ loaded }),
      (err: unknown) => live && setState({ error: err }),
    )
    return () => {
      live = false
    }
  }, [caseId])
  return state
}

/**
 * The states before a picker can show its list: reading, refused, never read and offline ("needs a connection"),
 * and the list kept offline (when it was read). `children` gets the destinations once there are some.
 */
export function DestinationsState({
  state,
  texts,
  testIdPrefix,
  children,
}: {
  state: { loaded?: LoadedDestinations; error?: unknown }
  texts: { loading: string; needsConnection: string; offlineList: (when: string) => string }
  testIdPrefix: string
  children: (d: CaseDestinations) => ComponentChildren
}) {
  const { loaded, error } = state
  if (error)
    return (
      <p class="error" role="alert">
        {errorText((error as { code?: string }).code)}
      </p>
    )
  if (!loaded) return <p class="hint">{texts.loading}</p>
  const d = loaded.destinations
  if (!d)
    return (
      <p class="error" data-testid={`${testIdPrefix}-needs-connection`}>
        {texts.needsConnection}
      </p>
    )
  return (
    <>
      {!loaded.fresh && loaded.fetchedAt && (
        <p class="hint" data-testid={`${testIdPrefix}-offline`}>
          {texts.offlineList(dateTime(loaded.fetchedAt))}
        </p>
      )}
      {children(d)}
    </>
  )
}
