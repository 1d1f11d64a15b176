/* Loaded into the generated service worker (workbox importScripts). Shows a Web Push notice from the API
 * (api/src/push/push-notifier.ts: {title, body, url, tag}) and opens the case it links to. */
self.addEventListener('push', (event) => {
  let notice
  try {
    notice = event.data ? event.data.json() : {}
  } catch {
    notice = { body: event.data && event.data.text() }
  }
  const title = notice.title || '码上见'
  event.waitUntil(
    self.registration.showNotification(title, {
      body: notice.body || '',
      tag: notice.tag,
      icon: '/app/icons/icon-192.png',
      badge: '/app/icons/icon-192.png',
      data: { url: notice.url || '/app/' },
    }),
  )
})

self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const url = new URL((event.notification.data && event.notification.data.url) || '/app/', self.location.origin).href
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true })
      const open = windows.find((w) => new URL(w.url).pathname.startsWith('/app/'))
      if (open) {
        await open.focus()
        open.postMessage({ type: 'open', url })
        return
      }
      await self.clients.openWindow(url)
    })(),
  )
})
