import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { at } from '../admin-text'

/**
 * A button for something that cannot be undone (delete, disable): the first press asks, in place, with the
 * question and a confirm and a cancel button (focus moves to cancel, the safe choice); only confirm acts.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  disabled,
  testId,
}: {
  label: ComponentChildren
  question: ComponentChildren
  confirmLabel?: ComponentChildren
  onConfirm: () => void | Promise<unknown>
  disabled?: boolean
  testId?: string
}) {
  const [asking, setAsking] = useState(false)
  const cancel = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (asking) cancel.current?.focus()
  }, [asking])
  if (!asking) {
    return (
      <button type="button" class="button danger" disabled={disabled} onClick={() => setAsking(true)} data-testid={testId}>
        {label}
      </button>
    )
  }
  return (
    <span class="confirm" role="group" aria-label={typeof question === 'string' ? question : undefined}>
      <span class="question">{question}</span>
      <button
        type="button"
        class="button danger"
        data-testid={testId && `${testId}-confirm`}
        onClick={() => {
          setAsking(false)
          void onConfirm()
        }}
      >
        {confirmLabel ?? label}
      </button>
      <button type="button" class="button" ref={cancel} onClick={() => setAsking(false)}>
        {at.cancel}
      </button>
    </span>
  )
}
