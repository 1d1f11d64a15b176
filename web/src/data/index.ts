import { createDataStore } from './member-data'

/** The app's one data store (IndexedDB database `mashangjian-member`, API on the same origin). */
export const data = createDataStore()
export type { CaseView, DataStatus, InboxTab, OutboxEntry } from './member-data'
export { INBOX_TABS } from './projection'
export { runningDeadline } from './projection'
export { ApiError, OfflineError, apiPath } from './api-client'
