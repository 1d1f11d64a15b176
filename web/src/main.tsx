import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import './styles.css'

interface Health {
  status: string
  database: string
  version: string
}

/** Placeholder home until the member app lands: says what this is and whether the API is up. */
function Home() {
  const [health, setHealth] = useState<Health | 'down' | null>(null)
  useEffect(() => {
    fetch('/healthz')
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((h: Health) => setHealth(h))
      .catch(() => setHealth('down'))
  }, [])
  return (
    <main>
      <h1>码上见</h1>
      <p>群众扫码说事，委员码上履职。</p>
      <p class="status" role="status">
        {health === null ? '正在连接服务…' : health === 'down' ? '服务暂时不可用' : `服务正常（${health.database}，v${health.version}）`}
      </p>
      <p>
        <a href="/docs">API 文档</a>
      </p>
    </main>
  )
}

render(<Home />, document.getElementById('app')!)
