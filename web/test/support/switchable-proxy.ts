import net from 'node:net'

/**
 * A TCP proxy in front of the API whose "network" a test can cut: while down, connections are refused at once
 * and open ones are torn down mid-flight, as a phone losing signal would see. Counts connections made.
 */
export async function startSwitchableProxy(target: { host: string; port: number }) {
  let up = true
  let connections = 0
  const open = new Set<net.Socket>()
  const server = net.createServer((client) => {
    connections++
    if (!up) return client.destroy()
    const upstream = net.connect(target.port, target.host)
    open.add(client)
    open.add(upstream)
    const end = () => {
      client.destroy()
      upstream.destroy()
      open.delete(client)
      open.delete(upstream)
    }
    client.pipe(upstream).pipe(client)
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections
    },
    up() {
      up = true
    },
    down() {
      up = false
      for (const s of open) s.destroy()
      open.clear()
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy()
        server.close(() => resolve())
      }),
  }
}
