/** Where the app lives (Vite's base, /app/) and its admin console; preact-iso reports paths without a trailing slash. */
export const BASE = import.meta.env.BASE_URL
export const ADMIN_BASE = `${BASE}admin/`
export const trimSlash = (p: string) => p.replace(/\/+$/, '') || '/'
