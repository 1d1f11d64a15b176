import type { ComponentChildren, JSX } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'

/** What a form control needs to be tied to its label, hint and error (for screen readers and for tests). */
export interface ControlProps {
  id: string
  'aria-invalid': 'true' | undefined
  'aria-describedby': string | undefined
}

/**
 * One labelled form field: the label, an optional hint, the control (given these props), and the server's message
 * for this field right under it. The control is marked invalid and described by the message, so a screen reader
 * reads the error when the field is focused.
 */
export function Field({
  id,
  label,
  error,
  hint,
  children,
  required,
}: {
  id: string
  label: ComponentChildren
  error?: string
  hint?: ComponentChildren
  required?: boolean
  children: (p: ControlProps) => JSX.Element
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>
        {label}
        {required && (
          <span class="required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {children({ id, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': described })}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`} data-testid={`field-error-${id}`}>
          {error}
        </p>
      )}
    </div>
  )
}

/** A group of choices (checkboxes or radios) with a legend and the message for the whole group. */
export function ChoiceGroup({
  id,
  legend,
  error,
  hint,
  children,
}: {
  id: string
  legend: ComponentChildren
  error?: string
  hint?: ComponentChildren
  children: ComponentChildren
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
  return (
    <fieldset id={id} class={error ? 'field invalid' : 'field'} aria-describedby={described} aria-invalid={error ? 'true' : undefined}>
      <legend>{legend}</legend>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <div class="choices">{children}</div>
      {error && (
        <p class="field-error" id={`${id}-error`} data-testid={`field-error-${id}`}>
          {error}
        </p>
      )}
    </fieldset>
  )
}

/** The value of an input, select or textarea in an event handler. */
export const valueOf = (e: Event) => (e.currentTarget as HTMLInputElement).value

/**
 * Runs a save or another change: `busy` while it runs, `error` when it failed (the form shows field messages from
 * it), and `done` briefly afterwards for a toast. A failed save keeps what the admin typed; put `form` on the form
 * so focus moves to the first field the server named.
 */
export function useAction() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [done, setDone] = useState<string | null>(null)
  useEffect(() => {
    if (!done) return
    const id = setTimeout(() => setDone(null), 6000)
    return () => clearTimeout(id)
  }, [done])
  // After a save refused for its fields, focus goes to the first field marked (keyboard and screen-reader users land on it).
  const form = useRef<HTMLFormElement>(null)
  useEffect(() => {
    if (!error || !form.current) return
    const first = form.current.querySelector<HTMLElement>('[aria-invalid="true"]')
    const target = first?.tagName === 'FIELDSET' ? first.querySelector<HTMLElement>('input, select, textarea, button') : first
    target?.focus()
  }, [error])
  async function run<T>(work: () => Promise<T>, message?: string): Promise<T | undefined> {
    setBusy(true)
    setError(null)
    setDone(null)
    try {
      const out = await work()
      if (message) setDone(message)
      return out
    } catch (err) {
      setError(err)
      return undefined
    } finally {
      setBusy(false)
    }
  }
  return {
    busy,
    error,
    done,
    run,
    form,
    setError,
    clear: () => {
      setError(null)
      setDone(null)
    },
  }
}

/** Moves focus to an element when it appears (a form's heading when the form opens), so keyboard users follow. */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null)
  useEffect(() => {
    ref.current?.focus()
  }, [])
  return ref
}

/** A toast for what just succeeded, read out by screen readers. */
export function Done({ message }: { message: string | null }) {
  return message ? (
    <p class="toast" role="status" data-testid="toast">
      {message}
    </p>
  ) : null
}
