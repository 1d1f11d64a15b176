import { useEffect, useState } from 'preact/hooks'

/** A labelled search field that reports what was typed once typing pauses (and at once on Enter). */
export function SearchBox({
  id,
  label,
  placeholder,
  onSearch,
  delayMs = 300,
}: {
  id: string
  label: string
  placeholder?: string
  onSearch: (q: string) => void
  delayMs?: number
}) {
  const [q, setQ] = useState('')
  useEffect(() => {
    const timer = setTimeout(() => onSearch(q.trim()), delayMs)
    return () => clearTimeout(timer)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q])
  return (
    <div class="field search">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="search"
        value={q}
        placeholder={placeholder}
        maxLength={64}
        autoComplete="off"
        onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault()
            onSearch(q.trim())
          }
        }}
      />
    </div>
  )
}
