import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { adminApi } from '../admin-api'
import { ProblemText } from './problem-text'

/**
 * A link to a file or page the API serves to a browser tab (a printable page, a PDF, an export). A tab or a
 * download cannot send the Authorization header, so the URL gets a fresh access token in its query at the moment
 * it is followed (a token fetched earlier may have run out). `download`: save the file here (the server names it);
 * otherwise open it in a new tab.
 */
export function TokenLink({
  path,
  query = {},
  download,
  children,
  class: className = 'button',
  testId,
}: {
  path: string
  query?: Record<string, string | undefined>
  download?: boolean
  children: ComponentChildren
  class?: string
  testId?: string
}) {
  const [error, setError] = useState<unknown>(null)
  const plain = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString()
  async function follow(e: MouseEvent) {
    e.preventDefault()
    setError(null)
    try {
      const url = await adminApi.tokenUrl(path, query)
      if (download) {
        const a = document.createElement('a')
        a.href = url
        a.download = ''
        document.body.append(a)
        a.click()
        a.remove()
      } else {
        window.open(url, '_blank', 'noopener')
      }
    } catch (err) {
      setError(err)
    }
  }
  return (
    <>
      <a
        class={className}
        href={plain ? `${path}?${plain}` : path}
        target={download ? undefined : '_blank'}
        rel="noopener"
        onClick={(e) => void follow(e)}
        data-testid={testId}
      >
        {children}
      </a>
      {error ? <ProblemText error={error} /> : null}
    </>
  )
}
