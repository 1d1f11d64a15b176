import { useEffect, useState } from 'preact/hooks'
import { data, type DataStatus } from './data'

/** Loads from the data store and loads again whenever it says something changed. */
export function useData<T>(load: () => Promise<T>, deps: unknown[]): { value: T | undefined; error: unknown } {
  const [state, setState] = useState<{ value: T | undefined; error: unknown }>({ value: undefined, error: undefined })
  useEffect(() => {
    let live = true
    // Both outcomes handled here: a failed load becomes `error`, never an unhandled rejection.
    const run = (): void => {
      load().then(
        (value) => live && setState({ value, error: undefined }),
        (error: unknown) => live && setState((s) => ({ ...s, error })),
      )
    }
    run()
    const off = data.subscribe(run)
    return () => {
      live = false
      off()
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps)
  return state
}

export function useStatus(): DataStatus {
  const [status, setStatus] = useState<DataStatus>({ ...data.status() })
  useEffect(() => data.subscribe(() => setStatus({ ...data.status() })), [])
  return status
}

/** Re-renders every `ms` (deadline countdowns). */
export function useTick(ms: number): number {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(id)
  }, [ms])
  return now
}
