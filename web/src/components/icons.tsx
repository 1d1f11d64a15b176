/**
 * A "back" chevron pointing to where the reader came from: left in Chinese and English, right in Uyghur and Kazakh.
 * Drawn (not the ‹ character, which the bidi algorithm may or may not mirror) and turned by `[dir='rtl'] .icon-dir`.
 */
export function BackIcon() {
  return (
    <svg class="icon-dir" data-testid="back-icon" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <path d="M8 1 3 6l5 5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  )
}
