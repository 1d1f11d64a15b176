import type {
  ChannelBody,
  ChannelList,
  ChannelTestBody,
  ChannelTestResult,
  ChannelView,
  MemberImportView,
  NotificationList,
  NotificationPage,
  NotificationStatus,
  NotificationView,
  PlacardLayout,
  PhoneDataExport,
  PhoneErasureBody,
  PhoneErasureResult,
  PhoneLookupResult,
  PhoneRequestBody,
} from '@mashangjian/shared'
import { data } from '../data'

/** One page of an admin list (shared/src/schemas/common.ts Page). */
export interface Paged<T> {
  items: T[]
  total: number
  limit: number
  offset: number
}

/**
 * The admin console's calls. Admin work happens online (rosters, placards, figures): these go straight to the
 * API through the data store's client (same session and token refresh as the member app).
 */
export const adminApi = {
  get: <T>(path: string) => data.request<T>(path),
  post: <T>(path: string, json: unknown) => data.request<T>(path, { json }),
  patch: <T>(path: string, json: unknown) => data.request<T>(path, { method: 'PATCH', json }),
  put: <T>(path: string, json: unknown) => data.request<T>(path, { method: 'PUT', json }),
  del: <T>(path: string) => data.request<T>(path, { method: 'DELETE' }),
  upload: <T>(path: string, form: FormData, method: 'POST' | 'PUT' = 'POST') => data.request<T>(path, { method, form }),

  /** A URL a new tab or a download link can open: the token rides in the query (a tab cannot send a header). */
  async tokenUrl(path: string, query: Record<string, string | undefined> = {}): Promise<string> {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, v)
    q.set('access_token', await data.accessToken())
    return `${path}?${q}`
  },

  uploadRoster: (file: File, committeeId?: string) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return data.request<MemberImportView>(`/api/v1/imports/members${committeeId ? `?committeeId=${committeeId}` : ''}`, { form })
  },
  importStatus: (id: string) => data.request<MemberImportView>(`/api/v1/imports/${id}`),
  confirmImport: (id: string, mode: 'all' | 'valid_rows') => data.request<MemberImportView>(`/api/v1/imports/${id}/confirm`, { json: { mode } }),

  placardUrl: (kind: 'pdf' | 'html', q: { stationId?: string; memberIds?: string; subject?: 'members' | 'station'; layout: PlacardLayout; lang: string }) =>
    adminApi.tokenUrl(`/api/v1/placards.${kind}`, q),

  /** Notification channels, failed notices and a case's delivery log (shared/src/schemas/notifications.ts). */
  notify: {
    channels: (committeeId?: string) => data.request<ChannelList>(withQuery('/api/v1/notification-channels', { committeeId })),
    createChannel: (body: ChannelBody) => data.request<ChannelView>('/api/v1/notification-channels', { json: body }),
    /** Credentials: only the names given are replaced; the others keep what was saved. */
    updateChannel: (id: string, body: ChannelBody) => data.request<ChannelView>(`/api/v1/notification-channels/${id}`, { method: 'PUT', json: body }),
    deleteChannel: (id: string) => data.request<void>(`/api/v1/notification-channels/${id}`, { method: 'DELETE' }),
    testChannel: (id: string, body: ChannelTestBody) => data.request<ChannelTestResult>(`/api/v1/notification-channels/${id}/test`, { json: body }),
    list: (q: { status?: NotificationStatus; committeeId?: string; limit: number; offset: number }) =>
      data.request<NotificationPage>(withQuery('/api/v1/notifications', q)),
    retry: (id: string) => data.request<NotificationView>(`/api/v1/notifications/${id}/retry`, { json: {} }),
    ofCase: (caseId: string) => data.request<NotificationList>(`/api/v1/cases/${caseId}/notifications`),
  },

  /** issue 19: a person's request about their phone number (shared/src/schemas/privacy.ts); the number goes in bodies only. */
  privacy: {
    lookup: (body: PhoneRequestBody) => data.request<PhoneLookupResult>('/api/v1/privacy/phone-lookup', { json: body }),
    export: (body: PhoneRequestBody) => data.request<PhoneDataExport>('/api/v1/privacy/phone-export', { json: body }),
    erase: (body: PhoneErasureBody) => data.request<PhoneErasureResult>('/api/v1/privacy/phone-erasure', { json: body }),
  },
}

/** `path?k=v&…` leaving out the empty values (list filters the admin left blank). */
export function withQuery(path: string, query: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `${path}?${s}` : path
}
