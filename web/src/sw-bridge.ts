import { Workbox } from 'workbox-window'

/**
 * The one module that talks to the service worker (workbox-window). It turns the worker's life into the two
 * things a member needs to know: the app is ready to work offline, and a new version is waiting. Nothing else
 * in the app touches navigator.serviceWorker.
 */
export interface SwState {
  offlineReady: boolean
  updateAvailable: boolean
}

const state: SwState = { offlineReady: false, updateAvailable: false }
const listeners = new Set<(s: SwState) => void>()
let wb: Workbox | undefined
let reloadOnControl = false

function set(patch: Partial<SwState>) {
  Object.assign(state, patch)
  listeners.forEach((fn) => fn({ ...state }))
}

export const swState = (): SwState => ({ ...state })
export function onSwState(fn: (s: SwState) => void): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

/** Registers the worker (production builds only) and keeps checking for new versions. */
export function startServiceWorker(openUrl: (url: string) => void): void {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return
  const base = import.meta.env.BASE_URL
  wb = new Workbox(`${base}sw.js`, { scope: base })
  // A new version installed and waits for us (also when it was already waiting at page load).
  wb.addEventListener('waiting', () => set({ updateAvailable: true }))
  // The first worker finished precaching the shell: from now on the app opens without network.
  wb.addEventListener('activated', (e) => {
    if (!e.isUpdate) set({ offlineReady: true })
  })
  wb.addEventListener('controlling', () => {
    if (reloadOnControl) window.location.reload()
  })
  // A push notice was tapped while the app was open: go to its case.
  navigator.serviceWorker.addEventListener('message', (e: MessageEvent<{ type?: string; url?: string }>) => {
    if (e.data?.type === 'open' && e.data.url) openUrl(new URL(e.data.url).pathname)
  })
  void wb.register().then((reg) => {
    if (reg?.active && navigator.serviceWorker.controller) set({ offlineReady: true })
  })
  const check = () => {
    void wb?.update().catch(() => undefined)
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') check()
  })
  setInterval(check, 60 * 60_000)
}

/** Asks the worker to look for a new version now (the member pulled to refresh, or came back online). */
export function checkForUpdate(): void {
  void wb?.update().catch(() => undefined)
}

/**
 * Switches to the waiting version and reloads. The outbox lives in IndexedDB and survives a reload, but the
 * member is told first if actions are still waiting (`confirm` returns false to stay on this version).
 */
export async function applyUpdate(pendingActions: number, confirm: (message: number) => boolean): Promise<boolean> {
  if (!wb || !state.updateAvailable) return false
  if (pendingActions > 0 && !confirm(pendingActions)) return false
  reloadOnControl = true
  wb.messageSkipWaiting()
  return true
}

/** Subscribes this device to Web Push (the member opted in); returns what the API stores, or the reason not. */
export async function subscribePush(publicKey: string): Promise<PushSubscriptionJSON | 'unsupported' | 'denied'> {
  if (typeof window === 'undefined' || !('PushManager' in window) || !('Notification' in window) || !wb) return 'unsupported'
  const permission = await Notification.requestPermission()
  if (permission !== 'granted') return 'denied'
  const reg = await navigator.serviceWorker.ready
  const key = Uint8Array.from(atob(publicKey.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0))
  const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }))
  return sub.toJSON()
}
